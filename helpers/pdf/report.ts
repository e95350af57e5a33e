/** The validator's report as a person reads it (CLI, test attachments). */
import type { PdfSignatureReport } from './policy.ts';

export function formatReport(report: PdfSignatureReport): string {
  const lines = [`PDF signature verdict: ${report.verdict.toUpperCase()} (${report.signatures.length} signature(s))`];
  if (report.verdict === 'unsigned') lines.push(...report.problems.map((p) => `  ${p}`));
  for (const s of report.signatures) {
    lines.push('');
    const coverage = s.coversWholeFile ? 'yes' : s.checks.some((c) => c.name === 'changes after signing') ? 'no (a later signature covers the rest)' : 'no';
    lines.push(`Signature #${s.index}: ${s.subFilter}, ByteRange [${s.byteRange.join(' ')}], covers whole file: ${coverage}`);
    if (s.signer) {
      lines.push(`  signer:  ${s.signer.subject} (issuer ${s.signer.issuer})`);
      lines.push(`  sha256:  ${s.signer.sha256}${s.signer.matchedPin ? ' (pinned)' : ''}`);
      lines.push(`  valid:   ${s.signer.notBefore} to ${s.signer.notAfter}`);
      lines.push(`  issuer:  ${s.signer.chain ? `chains to a trusted CA: ${s.signer.chain.join(' → ')}` : s.signer.selfSigned ? 'self-signed' : `issued by ${s.signer.issuer} (chain not checked: no CA file given)`}`);
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
