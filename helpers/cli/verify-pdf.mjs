#!/usr/bin/env node
// The verify-pdf command (`npx verify-pdf file.pdf`, `npm run verify-pdf -- file.pdf`).
// Runs helpers/cli/verify-pdf.ts compiled ahead into one file with esbuild (tsx's
// own dependency), so it starts like a plain node program instead of paying for
// tsx and TypeScript on every call. The bundle is rebuilt when a source is newer,
// and V8's code cache for it is kept beside it (Node 20 has no module compile cache).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(here, '..', '..', 'node_modules', '.cache', 'verify-pdf');
const bundle = join(cacheDir, 'verify-pdf.cjs');
const codeCache = `${bundle}.v8-${process.version}`;
const mtime = (f) => {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return -1;
  }
};
const sources = [
  join(here, 'verify-pdf.ts'),
  join(here, '..', 'pdf-signature.ts'),
  ...readdirSync(join(here, '..', 'pdf')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(here, '..', 'pdf', f)),
];
const built = mtime(bundle);
let rebuilt = false;
if (built < 0 || sources.some((s) => mtime(s) > built)) {
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'verify-pdf.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    logLevel: 'error',
  });
  rebuilt = true;
}

let cachedData;
if (!rebuilt) {
  try {
    cachedData = readFileSync(codeCache);
  } catch {
    cachedData = undefined;
  }
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, cacheDir);
process.exitCode = await module.exports.main(process.argv.slice(2));
// After a run, the cache also holds the functions the run compiled.
if (!cachedData || script.cachedDataRejected) {
  try {
    writeFileSync(codeCache, script.createCachedData());
  } catch {
    // A read-only install runs without the cache.
  }
}
