/**
 * How long validatePdfSignatures takes on a realistic (~1 MB) signed PDF.
 *   node --import tsx helpers/cli/bench-verify.ts [bytes] [write-the-pdf-here.pdf]
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createSelfSignedP12 } from '../../sandbox/signing/certs.ts';
import { renderPdf, signPdf } from '../../sandbox/signing/sign.ts';
import { validatePdfSignatures } from '../pdf-signature.ts';

const size = Number(process.argv[2] ?? 1_000_000);
const RUNS = 5;

const { p12, sha256 } = createSelfSignedP12({ password: 'bench' });
const lines = Array.from({ length: 60 }, (_, i) => `Line ${i + 1}: care visit notes, medication review, vitals.`);
const pdf = await signPdf(await renderPdf({ title: 'Benchmark document', lines, padToBytes: size }), { p12, password: 'bench' });

if (process.argv[3]) writeFileSync(process.argv[3], pdf);
await validatePdfSignatures(pdf); // warm-up: module init and JIT are not what we measure
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  const report = await validatePdfSignatures(pdf, { expectedSignerSha256: sha256 });
  times.push(performance.now() - start);
  if (report.verdict !== 'valid') throw new Error(`benchmark PDF did not validate: ${report.problems.join('; ')}`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;
console.log(
  `validatePdfSignatures on a ${(pdf.length / 1e6).toFixed(2)} MB signed PDF: median ${median.toFixed(1)} ms of ${RUNS} runs ` +
    `(min ${times[0]!.toFixed(1)}, max ${times[RUNS - 1]!.toFixed(1)})`,
);
