/**
 * Validate the digital signatures of a PDF from the command line.
 *   npx verify-pdf file.pdf [--signer-sha256 X]... [--ca-file ca.pem] [--allow-incremental]
 * (helpers/cli/verify-pdf.mjs runs this file compiled ahead, so it starts like a plain node program.)
 * Exit codes: 0 valid, 1 invalid (a malformed signature dictionary too), 2 unsigned or usage error.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BYTES } from '../pdf/policy.ts';
import { formatReport, validatePdfSignatures } from '../pdf-signature.ts';

const USAGE =
  'usage: verify-pdf <file.pdf> [--signer-sha256 <hex>]... [--ca-file <ca.pem>] [--allow-incremental] [--expiry-warning-days <n>] [--max-mb <n>]\n' +
  '  --signer-sha256      a pinned signer certificate SHA-256; repeat it (or separate with commas) for a rotation\n' +
  '  --ca-file            PEM CA bundle: the signer must chain to it (with pins too, either suffices)\n' +
  '  --allow-incremental  an unsigned revision after the last signature passes if it only adds signature objects (it is listed)\n' +
  `  --max-mb             refuse larger files (default ${DEFAULT_MAX_BYTES / 1024 / 1024})\n` +
  'exit 0 valid, 1 invalid, 2 unsigned or usage error';

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'signer-sha256': { type: 'string', multiple: true },
        'ca-file': { type: 'string' },
        'allow-incremental': { type: 'boolean', default: false },
        'expiry-warning-days': { type: 'string' },
        'max-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const numberOption = (name: 'expiry-warning-days' | 'max-mb'): number | undefined | 'bad' => {
    if (values[name] === undefined) return undefined;
    const n = Number(values[name]);
    return Number.isFinite(n) && n >= 0 ? n : 'bad';
  };
  const days = numberOption('expiry-warning-days');
  const maxMb = numberOption('max-mb');
  if (days === 'bad' || maxMb === 'bad') {
    console.error(`--${days === 'bad' ? 'expiry-warning-days' : 'max-mb'} must be a non-negative number\n${USAGE}`);
    return 2;
  }
  const pins = (values['signer-sha256'] ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const badPin = pins.find((p) => !/^[0-9a-f]{64}$/i.test(p.replace(/:/g, '')));
  if (badPin) {
    console.error(`--signer-sha256 ${badPin}: not a SHA-256 fingerprint (64 hex digits, colons allowed)\n${USAGE}`);
    return 2;
  }
  let caPem: string | undefined;
  if (values['ca-file']) {
    try {
      caPem = readFileSync(values['ca-file'], 'utf8');
    } catch (err) {
      console.error(`cannot read --ca-file ${values['ca-file']}: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
  }
  const file = positionals[0]!;
  const maxBytes = maxMb === undefined ? DEFAULT_MAX_BYTES : Math.floor(maxMb * 1024 * 1024);
  let pdf: Buffer;
  try {
    const { size } = statSync(file);
    if (size > maxBytes) {
      console.error(`${file} is ${size} bytes, over the limit of ${maxBytes} bytes: not validated (raise it with --max-mb)`);
      return 2;
    }
    pdf = readFileSync(file);
  } catch (err) {
    console.error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  let report;
  try {
    report = await validatePdfSignatures(pdf, {
      ...(pins.length ? { expectedSignerSha256: pins } : {}),
      ...(caPem !== undefined ? { caCertificatesPem: caPem } : {}),
      allowIncrementalUpdates: values['allow-incremental'],
      maxBytes,
      ...(days !== undefined ? { expiryWarningDays: days } : {}),
    });
  } catch (err) {
    // A CA file without certificates, for one.
    console.error(err instanceof Error ? err.message : String(err));
    return 2;
  }
  console.log(formatReport(report));
  return report.verdict === 'valid' ? 0 : report.verdict === 'invalid' ? 1 : 2;
}
