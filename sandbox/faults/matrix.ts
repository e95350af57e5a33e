/**
 * `npm run faults`: the proof that every check can fail. Runs the suite
 * against the healthy sandbox and against the sandbox with each catalogued
 * fault, several sandboxes at a time on their own ports, and compares the
 * failed checklist IDs with the catalogue's. Faults whose checks live in
 * different spec files share a sandbox, up to four (sandbox/faults/grouping.ts
 * says why that is sound, and a group with any doubtful row is re-run one
 * fault at a time). Prints a table and writes reports/fault-matrix.json; exits
 * 1 on any missed or noisy fault.
 *
 *   npm run faults                     every fault
 *   npm run faults -- hsts-short slow  only these (plus the healthy run)
 *   SMOKE_MATRIX_GROUP=1 npm run faults   every fault alone (about three times longer)
 *   SMOKE_MATRIX_SPECS=tests/payments.spec.ts npm run faults -- ...
 *                                      only these spec files (while developing)
 *   SMOKE_MATRIX_SCOPE=all npm run faults
 *                                      every spec file against every fault: also shows
 *                                      noise in areas a fault is not about (about twice
 *                                      as long; run it weekly and before a release)
 * By default a fault's sandbox runs the spec files of its own checks (and those it
 * makes skip); the healthy run, and faults that expect nothing, run every spec.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FAULTS, isFaultName, type Fault, type FaultName } from './catalogue.ts';
import { PORTS_PER_SANDBOX } from '../layout.ts';
import { scanForSecrets } from '../../helpers/secret-scan.ts';
import { groupFaults, groupFaultsByArea, specFilesById, specsOf as specFilesOf } from './grouping.ts';
import { checklistIds, compare, compareInGroup, failedOnOwnAssertion, type MatrixRow, type RunOutcome } from './verdict.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PLAYWRIGHT_CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
// SMOKE_MATRIX_BASE_PORT moves the matrix's slots (and its per-run reports), so two matrices can run side by side.
const BASE_PORT = Number(process.env.SMOKE_MATRIX_BASE_PORT) || 4400;
const OUT_DIR = path.join(ROOT, 'reports', 'fault-matrix', process.env.SMOKE_MATRIX_BASE_PORT ? `ports-${BASE_PORT}` : '');

interface JsonSpec {
  title: string;
  file: string;
  line: number;
  tests: {
    annotations?: { type: string; description?: string }[];
    status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
    /** 'failed' for the tests SMOKE_MATRIX_EXPECT marked. */
    expectedStatus?: 'passed' | 'failed' | 'skipped';
    results: { error?: { message?: string; stack?: string } }[];
  }[];
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

/** One suite run against a sandbox with `faults` (none: healthy), on ports from `portBase`. */
async function runSuite(faults: readonly FaultName[], portBase: number, mark: boolean, scope: string[] = []): Promise<RunOutcome> {
  const name = faults.length > 0 ? `${faults.join('+')}${mark ? '' : '.plain'}` : 'healthy';
  const jsonFile = path.join(OUT_DIR, `${name}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The matrix always targets its own sandboxes, whatever this shell points at.
  for (const key of Object.keys(env)) if (key.startsWith('SMOKE_')) delete env[key];
  Object.assign(env, {
    SANDBOX_FAULTS: faults.join(','),
    // Marks the tests these faults must break as expected to fail: no worker restart after each
    // (fixtures/settings.ts). Off when a doubtful verdict is settled: then the run is the plain suite.
    SMOKE_MATRIX_EXPECT: mark ? [...new Set(faults.flatMap((f) => FAULTS[f].expect))].join(',') : '',
    SANDBOX_PORT_BASE: String(portBase),
    PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile,
    PLAYWRIGHT_HTML_REPORT: path.join(OUT_DIR, name, 'html'),
  });
  const chosen = (process.env.SMOKE_MATRIX_SPECS ?? '').split(/[\s,]+/).filter(Boolean);
  const specs = chosen.length > 0 ? chosen : scope;
  const args = [PLAYWRIGHT_CLI, 'test', ...specs, '--config', path.join(ROOT, 'sandbox', 'faults', 'matrix.config.ts'), '--project=local', `--reporter=${path.join(ROOT, 'helpers', 'redact-reporter.ts')},json`, '--workers=1', '--trace=off', `--output=${path.join(OUT_DIR, name, 'test-results')}`];
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
  const setupFailures: string[] = [];
  const skipped: string[] = [];
  const failedBy: Record<string, string[]> = {};
  const firstLine = (m: string) => m.replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? '';
  for (const spec of specsOf(report.suites)) {
    const ids = checklistIds(spec.title);
    for (const t of spec.tests) {
      if (t.status === 'skipped') {
        skipped.push(`${spec.title}: ${t.annotations?.find((a) => a.type === 'skip')?.description ?? 'skipped'}`);
        continue;
      }
      ids.forEach((id) => ran.add(id));
      // A test marked as expected to fail failed when its status is 'expected'.
      const failedForReal = t.expectedStatus === 'failed' ? t.status === 'expected' : t.status === 'unexpected' || t.status === 'flaky';
      if (!failedForReal) continue;
      const error = t.results.at(-1)?.error;
      const line = `${spec.title}: ${firstLine(error?.message ?? '')}`;
      // Only a check's own assertion proves the fault; a fixture's error proves nothing.
      if (!failedOnOwnAssertion(spec.file, error)) {
        setupFailures.push(line);
        continue;
      }
      failures.push(line);
      for (const id of ids) {
        failed.add(id);
        (failedBy[id] ??= []).push(`${spec.file}:${spec.line}`);
      }
    }
  }
  const error = report.errors?.length ? report.errors.map((e) => e.message ?? '').join('; ').slice(0, 500) : undefined;
  return { fault: name, seconds, error, failed: [...failed].sort(), ran: [...ran].sort(), failures, setupFailures, failedBy, skipped };
}

type Row = MatrixRow & { runWith: string[] };

function table(rows: Row[]): string {
  const head = ['fault', 'expected IDs', 'failed IDs', 'verdict', 'caught by (test)', 'run with', 'time'];
  const cells = rows.map((r) => [
    r.fault,
    r.expected.join(' ') || '-',
    r.failed.join(' ') || '-',
    r.verdict,
    r.caughtBy.join(' ') || '-',
    r.runWith.join(' ') || 'alone',
    `${r.seconds.toFixed(1)} s`,
  ]);
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
  // Longest runs first so the slots finish together: a run lasts longer the
  // more checks fail (each failing browser step waits out its timeout).
  const estimate = (f: FaultName) => 45 + 12 * FAULTS[f].expect.length + (f === 'slow' ? 90 : 0);
  const byLength = [...faults].sort((a, b) => estimate(b) - estimate(a));
  const testsDir = path.join(ROOT, 'tests');
  const specSources: Record<string, string> = {};
  for (const f of (await readdir(testsDir)).filter((n) => n.endsWith('.spec.ts'))) {
    specSources[`tests/${f}`] = await readFile(path.join(testsDir, f), 'utf8');
  }
  const byId = specFilesById(specSources);
  // Scoped (the default): a fault's sandbox runs the spec files of its own checks and those it
  // reaches; the healthy run and faults that expect nothing run everything. SMOKE_MATRIX_SCOPE=all
  // runs every spec against every fault, which also shows noise in unrelated areas (slower).
  const fullScope = process.env.SMOKE_MATRIX_SCOPE === 'all';
  const scopeOf = (group: readonly FaultName[]): string[] => {
    if (fullScope || group.length === 0) return [];
    const files = group.flatMap((f) => [...specFilesOf({ name: f, expect: FAULTS[f].expect, reaches: (FAULTS[f] as Fault).reaches }, byId)]);
    return group.some((f) => FAULTS[f].expect.length === 0) || files.length === 0 ? [] : [...new Set(files)].sort();
  };
  const groupSize = Math.max(1, Number(process.env.SMOKE_MATRIX_GROUP) || 4);
  // Scoped runs group faults of one area (short runs of that area's specs); full runs keep partners in different spec files.
  const group = fullScope ? groupFaults : groupFaultsByArea;
  const grouped = group(byLength.map((name) => ({ name, expect: FAULTS[name].expect, reaches: (FAULTS[name] as Fault).reaches })), byId, groupSize).map(
    (g) => g.map((f) => f.name as FaultName),
  );
  // Longest sandboxes first, so the slots finish together (`slow` runs long by design).
  const groupEstimate = (g: FaultName[]) => g.reduce((t, f) => t + estimate(f) - 45, 45);
  const groups = [...grouped].sort((a, b) => groupEstimate(b) - groupEstimate(a));
  // The healthy run first: a noisy healthy run makes every other row suspect.
  const queue: { faults: FaultName[]; mark: boolean }[] = [{ faults: [], mark: false }, ...groups.map((g) => ({ faults: g, mark: true }))];
  let runs = queue.length;
  // Runs are CPU-bound (browser, crypto, the sandbox): one more than cores
  // keeps both busy while a run waits out a deadline.
  const concurrency = Math.max(1, Number(process.env.SMOKE_MATRIX_CONCURRENCY) || Math.min(4, os.availableParallelism() + 1));
  await mkdir(OUT_DIR, { recursive: true });
  console.log(
    `Fault matrix: ${faults.length} faults in ${groups.length} sandboxes (up to ${groupSize} faults each, ${fullScope ? 'never two of one spec file, every spec' : 'never two of one checklist ID, each running its own spec files'}) + the healthy run, ${concurrency} at a time`,
  );

  const started = Date.now();
  const rows: Row[] = [];
  let done = 0;
  // Each slot owns a port range, so two sandboxes never collide.
  const slot = async (i: number): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const group = job.faults;
      const outcome = await runSuite(group, BASE_PORT + i * PORTS_PER_SANDBOX, job.mark, scopeOf(group));
      done += 1;
      if (group.length === 0) {
        rows.push({ ...compare(outcome, []), runWith: [] });
        console.log(`[${done}/${runs}] healthy: ${rows.at(-1)?.verdict} (${outcome.seconds.toFixed(1)} s)`);
        continue;
      }
      const groupExpected = group.flatMap((f) => FAULTS[f].expect);
      const groupRows = group.map((f) => ({
        ...(group.length === 1 ? compare({ ...outcome, fault: f }, FAULTS[f].expect) : compareInGroup({ ...outcome, fault: f }, FAULTS[f].expect, groupExpected)),
        runWith: job.mark ? group.filter((g) => g !== f) : ['(settled alone, unmarked)'],
      }));
      // A partner, or the marking of expected failures, might blur a verdict: settle
      // any doubt with the plain suite, one fault at a time.
      const doubtful = job.mark && groupRows.some((r) => r.verdict !== 'caught' && r.verdict !== 'clean');
      const summary = groupRows.map((r) => `${r.fault}: ${r.verdict}${r.note ? ` (${r.note})` : ''}`).join('; ');
      if (doubtful) {
        queue.push(...group.map((f) => ({ faults: [f], mark: false })));
        runs += group.length;
        console.log(`[${done}/${runs}] ${summary} (${outcome.seconds.toFixed(1)} s): re-running ${group.length > 1 ? 'each alone' : 'it'}, unmarked`);
        continue;
      }
      rows.push(...groupRows);
      console.log(`[${done}/${runs}] ${summary} (${outcome.seconds.toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => slot(i)));

  const order = ['healthy', ...faults] as string[];
  rows.sort((a, b) => order.indexOf(a.fault) - order.indexOf(b.fault));
  console.log(`\n${table(rows)}\n`);
  await writeFile(
    path.join(ROOT, 'reports', 'fault-matrix.json'),
    `${JSON.stringify(rows.map(({ fault, expected, failed, verdict, caughtBy, note, seconds, runWith }) => ({ fault, expected, failed, verdict, caughtBy, note, runWith, seconds })), null, 2)}\n`,
  );
  const bad = rows.filter((r) => r.verdict !== 'caught' && r.verdict !== 'clean');
  for (const r of bad) {
    console.log(`${r.fault} (${r.verdict}): ${r.note ?? ''}`);
    for (const f of r.failures.slice(0, 5)) console.log(`    ${f}`);
  }
  // What the runs wrote must hold no secret either (shapes: the matrix's sandboxes are gone by now).
  const leaks = scanForSecrets(OUT_DIR, []);
  for (const l of leaks) console.log(`secret scan: ${path.relative(ROOT, l.file)}: ${l.kind}`);
  const total = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${rows.length - bad.length} passed, ${bad.length} failed${leaks.length ? `, ${leaks.length} secret(s) in the reports` : ''} (fault matrix, ${total} s; reports/fault-matrix.json)`,
  );
  process.exit(bad.length > 0 || leaks.length > 0 ? 1 : 0);
}

await main();
