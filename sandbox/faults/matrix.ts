/**
 * `npm run faults`: the proof that every check can fail. Runs the suite
 * against the healthy sandbox and against the sandbox with each catalogued
 * fault, two sandboxes at a time on their own ports, and compares the failed
 * checklist IDs with the catalogue's. Prints a table and writes
 * reports/fault-matrix.json; exits 1 on any missed or noisy fault.
 *
 *   npm run faults                     every fault
 *   npm run faults -- hsts-short slow  only these (plus the healthy run)
 *   SMOKE_MATRIX_SPECS=tests/payments.spec.ts npm run faults -- ...
 *                                      only these spec files (while developing:
 *                                      noise in other specs goes unseen)
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FAULTS, isFaultName, type FaultName } from './catalogue.ts';
import { PORTS_PER_SANDBOX } from '../layout.ts';
import { checklistIds, compare, type MatrixRow, type RunOutcome } from './verdict.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PLAYWRIGHT_CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
// SMOKE_MATRIX_BASE_PORT moves the matrix's slots (and its per-run reports), so two matrices can run side by side.
const BASE_PORT = Number(process.env.SMOKE_MATRIX_BASE_PORT) || 4400;
const OUT_DIR = path.join(ROOT, 'reports', 'fault-matrix', process.env.SMOKE_MATRIX_BASE_PORT ? `ports-${BASE_PORT}` : '');

interface JsonSpec {
  title: string;
  tests: { status: 'expected' | 'unexpected' | 'flaky' | 'skipped'; results: { error?: { message?: string } }[] }[];
}
interface JsonSuite {
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}
interface JsonReport {
  suites?: JsonSuite[];
  errors?: { message?: string }[];
  stats?: { expected: number; unexpected: number; skipped: number; flaky: number };
}

function* specsOf(suites: JsonSuite[] = []): Generator<JsonSpec> {
  for (const s of suites) {
    yield* s.specs ?? [];
    yield* specsOf(s.suites);
  }
}

/** One suite run against a sandbox with `fault` (or none), on ports from `portBase`. */
async function runSuite(fault: FaultName | undefined, portBase: number): Promise<RunOutcome> {
  const name = fault ?? 'healthy';
  const jsonFile = path.join(OUT_DIR, `${name}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The matrix always targets its own sandboxes, whatever this shell points at.
  for (const key of Object.keys(env)) if (key.startsWith('SMOKE_')) delete env[key];
  Object.assign(env, {
    SANDBOX_FAULTS: fault ?? '',
    SANDBOX_PORT_BASE: String(portBase),
    PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile,
    PLAYWRIGHT_HTML_REPORT: path.join(OUT_DIR, name, 'html'),
  });
  const specs = (process.env.SMOKE_MATRIX_SPECS ?? '').split(/[\s,]+/).filter(Boolean);
  const args = [PLAYWRIGHT_CLI, 'test', ...specs, '--project=local', '--reporter=json', '--workers=1', `--output=${path.join(OUT_DIR, name, 'test-results')}`];
  const started = Date.now();
  const stderr: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
    child.on('close', (c) => resolve(c ?? 1));
  });
  const seconds = (Date.now() - started) / 1000;
  let report: JsonReport;
  try {
    report = JSON.parse(await readFile(jsonFile, 'utf8')) as JsonReport;
  } catch {
    return { fault: name, seconds, error: `no report (exit ${code}): ${stderr.join('').trim().slice(-500)}`, failed: [], ran: [], failures: [] };
  }
  const ran = new Set<string>();
  const failed = new Set<string>();
  const failures: string[] = [];
  for (const spec of specsOf(report.suites)) {
    const ids = checklistIds(spec.title);
    for (const t of spec.tests) {
      if (t.status === 'skipped') continue;
      ids.forEach((id) => ran.add(id));
      if (t.status === 'unexpected' || t.status === 'flaky') {
        ids.forEach((id) => failed.add(id));
        const msg = t.results.at(-1)?.error?.message ?? '';
        failures.push(`${spec.title}: ${msg.replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? ''}`);
      }
    }
  }
  const error = report.errors?.length ? report.errors.map((e) => e.message ?? '').join('; ').slice(0, 500) : undefined;
  return { fault: name, seconds, error, failed: [...failed].sort(), ran: [...ran].sort(), failures };
}

function table(rows: MatrixRow[]): string {
  const head = ['fault', 'expected IDs', 'failed IDs', 'verdict', 'time'];
  const cells = rows.map((r) => [r.fault, r.expected.join(' ') || '-', r.failed.join(' ') || '-', r.verdict, `${r.seconds.toFixed(1)} s`]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((n) => !isFaultName(n));
  if (unknown.length > 0) {
    console.error(`unknown fault(s): ${unknown.join(', ')}\nknown: ${Object.keys(FAULTS).join(', ')}`);
    process.exit(2);
  }
  const faults = (requested.length > 0 ? requested : Object.keys(FAULTS)) as FaultName[];
  // Healthy first (a noisy healthy run makes every other row suspect), then the
  // longest runs first so the slots finish together: a run lasts longer the
  // more checks fail (each failing browser step waits out its timeout).
  const estimate = (f: FaultName) => 45 + 12 * FAULTS[f].expect.length + (f === 'slow' ? 60 : 0);
  const byLength = [...faults].sort((a, b) => estimate(b) - estimate(a));
  const queue: { fault?: FaultName }[] = [{}, ...byLength.map((fault) => ({ fault }))];
  const runs = queue.length;
  // Runs spend much of their time waiting (browser, polling, deadlines): measured
  // at about one busy core with two at a time, so one more run than cores.
  const concurrency = Math.max(1, Number(process.env.SMOKE_MATRIX_CONCURRENCY) || Math.min(4, os.availableParallelism() + 1));
  await mkdir(OUT_DIR, { recursive: true });
  console.log(`Fault matrix: ${runs} runs of the suite (healthy + ${faults.length} faults), ${concurrency} at a time`);

  const started = Date.now();
  const rows: MatrixRow[] = [];
  // Each slot owns a port range, so two sandboxes never collide.
  const slot = async (i: number): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const outcome = await runSuite(job.fault, BASE_PORT + i * PORTS_PER_SANDBOX);
      const row = compare(outcome, job.fault ? FAULTS[job.fault].expect : []);
      rows.push(row);
      console.log(`[${rows.length}/${runs}] ${row.fault}: ${row.verdict} (${row.seconds.toFixed(1)} s)${row.note ? ` ${row.note}` : ''}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => slot(i)));

  const order = ['healthy', ...faults] as string[];
  rows.sort((a, b) => order.indexOf(a.fault) - order.indexOf(b.fault));
  console.log(`\n${table(rows)}\n`);
  await writeFile(
    path.join(ROOT, 'reports', 'fault-matrix.json'),
    `${JSON.stringify(rows.map(({ fault, expected, failed, verdict, seconds }) => ({ fault, expected, failed, verdict, seconds })), null, 2)}\n`,
  );
  const bad = rows.filter((r) => r.verdict !== 'caught' && r.verdict !== 'clean');
  for (const r of bad) {
    console.log(`${r.fault} (${r.verdict}): ${r.note ?? ''}`);
    for (const f of r.failures.slice(0, 5)) console.log(`    ${f}`);
  }
  const total = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${rows.length - bad.length} passed, ${bad.length} failed (fault matrix, ${total} s; reports/fault-matrix.json)`);
  process.exit(bad.length > 0 ? 1 : 0);
}

await main();
