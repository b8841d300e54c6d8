// Writes the Lark SDK as one minified, ASCII-only CommonJS file (default dist/vendor/lark-sdk.cjs), which
// src/lark/sdk.ts loads instead of the package when it is there. The code is the SDK's own, unchanged; only its
// form differs. The package's lib/index.js is 6 MB with Chinese comments, so V8 keeps it as a 12 MB two-byte
// source string and parses all of it: this copy costs the running bot about 40 MB less memory (issue 18).
// Its own imports (axios, ws, protobufjs, …) stay imports, resolved from node_modules as before.
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const out = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist', 'vendor', 'lark-sdk.cjs'));

await build({
  entryPoints: [require.resolve('@larksuiteoapi/node-sdk')],
  outfile: out,
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
  charset: 'ascii',
  legalComments: 'eof',
  logLevel: 'warning',
});
