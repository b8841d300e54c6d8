import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as LarkSdk from '@larksuiteoapi/node-sdk';

/**
 * The Lark Node SDK, loaded once for the whole bot: the build's minified copy (scripts/bundle-lark-sdk.mjs writes
 * dist/vendor/lark-sdk.cjs; about 40 MB less memory than the package's 6 MB file) when it is there, otherwise the
 * package itself (tests and `npm run dev` run from the sources). Both are the same SDK code.
 */
const require = createRequire(import.meta.url);
const bundled = path.join(import.meta.dirname, '..', '..', 'vendor', 'lark-sdk.cjs');

export const larkSdkSource: 'bundle' | 'package' = fs.existsSync(bundled) ? 'bundle' : 'package';
export const lark: typeof LarkSdk = require(larkSdkSource === 'bundle' ? bundled : '@larksuiteoapi/node-sdk');
