// The production build's two bundles, written into one folder (default dist/):
//
//  - vendor/lark-sdk.cjs: the Lark SDK as one minified, ASCII-only CommonJS file, which src/lark/sdk.ts loads
//    instead of the package when it is there. The code is the SDK's own, unchanged; only its form differs. The
//    package's lib/index.js is 6 MB with Chinese comments, so V8 keeps it as a 12 MB two-byte source string and
//    parses all of it: this copy costs the running bot about 20 MB less memory.
//  - coverage-bot.mjs: the bot (src/main.ts) with its pure-JavaScript dependencies in one ES module, so Node
//    loads one file instead of some 600 modules (kysely alone is 280), about 8 MB less memory. Identifiers are
//    kept, so stack traces in the log stay readable. Native, lazily loaded or worker-based packages stay imports
//    resolved from node_modules as before.
//
// `npm start` runs coverage-bot.mjs; tests run the sources, and test/integration/app-bundle.test.ts runs this
// output as its own process against the fake Open API (issue 18).
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist'));

const common = { bundle: true, platform: 'node', target: 'node20', charset: 'ascii', keepNames: true, legalComments: 'eof', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [require.resolve('@larksuiteoapi/node-sdk')],
  outfile: path.join(outDir, 'vendor', 'lark-sdk.cjs'),
  packages: 'external',
  format: 'cjs',
  minify: true,
});

await build({
  ...common,
  entryPoints: [path.join(root, 'src', 'main.ts')],
  outfile: path.join(outDir, 'coverage-bot.mjs'),
  format: 'esm',
  minifyWhitespace: true,
  minifySyntax: true,
  // better-sqlite3 is native; exceljs and pinyin-pro are loaded only when first needed; pino starts workers by
  // file name; the SDK comes from vendor/ (src/lark/sdk.ts); pg-native is pg's optional native binding.
  external: ['better-sqlite3', 'exceljs', 'pinyin-pro', 'pino', '@larksuiteoapi/node-sdk', 'pg-native'],
  // Bundled CommonJS packages call require() for Node's own modules: give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
