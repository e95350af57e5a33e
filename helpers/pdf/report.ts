/** The validator's report as a person reads it (CLI, test attachments). */
import type { PdfSignatureReport } from './policy.ts';

export function formatReport(report: PdfSignatureReport): string {
  const lines = [`PDF signature verdict: ${report.verdict.toUpperCase()} (${report.signatures.length} signature(s))`];
  if (report.verdict === 'unsigned') lines.push(...report.problems.map((p) => `  ${p}`));
  for (const s of report.signatures) {
    lines.push('');
    lines.push(`Signature #${s.index}: ${s.subFilter}, ByteRange [${s.byteRange.join(' ')}], covers whole file: ${s.coversWholeFile ? 'yes' : 'no'}`);
    if (s.signer) {
      lines.push(`  signer:  ${s.signer.subject} (issuer ${s.signer.issuer})`);
      lines.push(`  sha256:  ${s.signer.sha256}`);
      lines.push(`  valid:   ${s.signer.notBefore} to ${s.signer.notAfter}`);
    }
    if (s.signingTime) lines.push(`  claimed signing time: ${s.signingTime}`);
    for (const c of s.checks) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
  }
  if (report.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ! ${w}`);
  }
  return lines.join('\n');
}
