import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as LarkSdk from '@larksuiteoapi/node-sdk';

/**
 * The Lark Node SDK, loaded once for the whole bot: the build's minified copy (scripts/bundle.mjs writes
 * dist/vendor/lark-sdk.cjs; about 20 MB less memory than the package's 6 MB file) when it is there, otherwise the
 * package itself (tests and `npm run dev` run from the sources). Both are the same SDK code.
 */
const require = createRequire(import.meta.url);
// Beside the bundled bot (dist/coverage-bot.mjs), or two folders up from the compiled file (dist/src/lark/sdk.js).
const bundled = [path.join(import.meta.dirname, 'vendor', 'lark-sdk.cjs'), path.join(import.meta.dirname, '..', '..', 'vendor', 'lark-sdk.cjs')].find((f) => fs.existsSync(f));

export const larkSdkSource: 'bundle' | 'package' = bundled ? 'bundle' : 'package';
export const lark: typeof LarkSdk = require(bundled ?? '@larksuiteoapi/node-sdk');
