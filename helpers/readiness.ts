/**
 * The readiness report: every checklist item with its verdict (passed,
 * failed, skipped with the reason, manual with the instruction, or not
 * checked yet), from the results of one run. Pure; the reporter feeds it.
 */
import { CHECKLIST, checklistIds, type ChecklistItem } from './checklist.ts';

export interface CheckResult {
  title: string;
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  skipReason?: string;
  /** First line of the failure. */
  error?: string;
  warnings: string[];
}

/** `partial`: some of the item's tests passed and others were skipped: not proven as a whole. */
export type ReadinessVerdict = 'passed' | 'partial' | 'failed' | 'skipped' | 'manual' | 'not checked';

export interface ReadinessRow extends ChecklistItem {
  verdict: ReadinessVerdict;
  /** Why: failure lines, skip reasons, the manual instruction, what is left to a person. */
  details: string[];
  warnings: string[];
}

export function buildReadiness(results: CheckResult[], checklist: readonly ChecklistItem[] = CHECKLIST): ReadinessRow[] {
  return checklist.map((item) => {
    const mine = results.filter((r) => checklistIds(r.title).includes(item.id));
    const warnings = [...new Set(mine.flatMap((r) => r.warnings))];
    const failed = mine.filter((r) => r.status !== 'passed' && r.status !== 'skipped');
    if (failed.length) {
      return { ...item, verdict: 'failed', details: failed.map((r) => `${r.title}: ${r.error ?? r.status}`), warnings };
    }
    const passed = mine.filter((r) => r.status === 'passed');
    const skipped = mine.filter((r) => r.status === 'skipped');
    if (passed.length && skipped.length) {
      // An item passes only when every one of its tests did: say which part was proven and which not.
      return {
        ...item,
        verdict: 'partial',
        details: [
          ...passed.map((r) => `proven: ${r.title}`),
          ...skipped.map((r) => `not proven: ${r.title} (${(r.skipReason ?? 'skipped').replace(/^not proven: /, '')})`),
        ],
        warnings,
      };
    }
    if (passed.length) {
      const left = item.kind === 'partial' && item.instruction ? [`left to a person: ${item.instruction}`] : [];
      return { ...item, verdict: 'passed', details: left, warnings };
    }
    if (mine.length) {
      return { ...item, verdict: 'skipped', details: [...new Set(mine.map((r) => r.skipReason ?? 'skipped'))], warnings };
    }
    if (item.kind === 'manual') return { ...item, verdict: 'manual', details: [item.instruction ?? 'check by hand'], warnings };
    return { ...item, verdict: 'not checked', details: ['no automated check for this item in this run'], warnings };
  });
}

export function summarize(rows: ReadinessRow[]): Record<ReadinessVerdict, number> {
  const counts: Record<ReadinessVerdict, number> = { passed: 0, partial: 0, failed: 0, skipped: 0, manual: 0, 'not checked': 0 };
  for (const r of rows) counts[r.verdict] += 1;
  return counts;
}

const ICON: Record<ReadinessVerdict, string> = {
  passed: 'PASS',
  partial: 'PARTIAL',
  failed: 'FAIL',
  skipped: 'SKIP',
  manual: 'MANUAL',
  'not checked': 'TODO',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatReadinessMarkdown(rows: ReadinessRow[], meta: { target: string; runId: string; finishedAt: Date }): string {
  const counts = summarize(rows);
  const lines = [
    `# Go-live readiness: ${meta.target}`,
    '',
    `Run ${meta.runId}, finished ${meta.finishedAt.toISOString()}. ` +
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') + '.',
    '',
  ];
  for (const system of ['DermaConsent', 'Nova Home Care'] as const) {
    lines.push(`## ${system}`, '', '| ID | Item | Verdict | Details |', '|---|---|---|---|');
    for (const r of rows.filter((x) => x.system === system)) {
      const details = [...r.details, ...r.warnings.map((w) => `warning: ${w}`)].join('<br>');
      lines.push(`| ${r.id} | ${cell(r.item)} | ${ICON[r.verdict]} | ${cell(details)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
