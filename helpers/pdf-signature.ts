/**
 * Strict validator for digital signatures in PDFs (docs/targets/nova-home-care.md,
 * "Signed PDFs"): the public entry point. The work is done in helpers/pdf/:
 * syntax.ts (PDF objects, signature dictionaries), cms.ts (the CMS SignedData),
 * policy.ts (the checks and the verdict), report.ts (the text report).
 */
export {
  normalizeFingerprint,
  sha256Hex,
  validatePdfSignatures,
  type PdfSignatureReport,
  type SignatureCheck,
  type SignatureReport,
  type SignerSummary,
  type ValidateOptions,
  type Verdict,
} from './pdf/policy.ts';
export { formatReport } from './pdf/report.ts';
