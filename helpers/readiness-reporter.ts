/**
 * Playwright reporter that writes the readiness report: reports/readiness.md
 * and reports/readiness.json, one row per checklist item, per project.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { buildReadiness, formatReadinessMarkdown, summarize, type CheckResult } from './readiness.ts';

const firstLine = (s: string | undefined) => s?.replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim())?.trim();

export default class ReadinessReporter implements Reporter {
  private readonly byProject = new Map<string, CheckResult[]>();

  constructor(private readonly options: { outputDir?: string } = {}) {}

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project()?.name ?? 'default';
    const list = this.byProject.get(project) ?? [];
    // A retried test reports once per attempt: keep the last.
    const existing = list.findIndex((r) => r.title === test.title);
    const entry: CheckResult = {
      title: test.title,
      status: result.status,
      skipReason: test.annotations.find((a) => a.type === 'skip')?.description,
      error: firstLine(result.error?.message),
      warnings: test.annotations.filter((a) => a.type === 'warning').map((a) => a.description ?? ''),
    };
    if (existing >= 0) list[existing] = entry;
    else list.push(entry);
    this.byProject.set(project, list);
  }

  onEnd(_result: FullResult): void {
    const dir = this.options.outputDir ?? 'reports';
    mkdirSync(dir, { recursive: true });
    const finishedAt = new Date();
    const runId = process.env.SMOKE_RUN_ID ?? '-';
    const json: Record<string, unknown> = {};
    const md: string[] = [];
    for (const [project, results] of this.byProject) {
      const rows = buildReadiness(results);
      json[project] = { runId, finishedAt: finishedAt.toISOString(), summary: summarize(rows), items: rows };
      md.push(formatReadinessMarkdown(rows, { target: project, runId, finishedAt }));
      const c = summarize(rows);
      // The list output hides warnings (annotations): a person reading the console must still see them.
      const warned = rows.filter((r) => r.warnings.length > 0);
      if (warned.length > 0) {
        process.stdout.write(`\nWarnings (${project}):\n`);
        for (const r of warned) for (const w of r.warnings) process.stdout.write(`  ${r.id}: ${w}\n`);
      }
      const partial = rows.filter((r) => r.verdict === 'partial');
      for (const r of partial) process.stdout.write(`  ${r.id} partial: ${r.details.filter((d) => d.startsWith('not proven')).join('; ')}\n`);
      process.stdout.write(
        `\nReadiness (${project}): ${c.passed} passed, ${c.partial} partial, ${c.failed} failed, ${c.skipped} skipped, ${c.manual} manual, ${c['not checked']} not checked ` +
          `(checklist items; Playwright's counts above are tests, and one item may have several or none): ${path.join(dir, 'readiness.md')}\n`,
      );
    }
    // The global teardown's cleanup ran before this: what it could not undo belongs in the report.
    const cleanupFile = path.join(dir, 'ledger', `${runId}.cleanup.json`);
    if (existsSync(cleanupFile)) {
      const cleanups = JSON.parse(readFileSync(cleanupFile, 'utf8')) as { target: string; deleted: Record<string, number>; leftBehind: string[] }[];
      for (const c of cleanups) {
        const deleted = Object.entries(c.deleted).map(([t, n]) => `${n} ${t}`).join(', ') || 'nothing';
        md.push(`## What the run created on ${c.target}\n`, `Deleted after the run: ${deleted}.`, '');
        if (c.leftBehind.length) md.push('Left behind (remove by hand, or `npm run cleanup -- --apply` once it can):', '', ...c.leftBehind.map((l) => `- ${l}`), '');
        const project = json[c.target];
        if (project && typeof project === 'object') Object.assign(project, { cleanup: c });
      }
    }
    writeFileSync(path.join(dir, 'readiness.json'), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(path.join(dir, 'readiness.md'), md.join('\n'));
  }
}
