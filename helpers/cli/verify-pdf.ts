/**
 * Validate the digital signatures of a PDF from the command line.
 *   node --import tsx helpers/cli/verify-pdf.ts file.pdf [--signer-sha256 X] [--allow-incremental]
 * Exit codes: 0 valid, 1 invalid, 2 unsigned or usage error.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatReport, validatePdfSignatures } from '../pdf-signature.ts';

const USAGE = 'usage: verify-pdf <file.pdf> [--signer-sha256 <hex>] [--allow-incremental] [--expiry-warning-days <n>]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'signer-sha256': { type: 'string' },
        'allow-incremental': { type: 'boolean', default: false },
        'expiry-warning-days': { type: 'string' },
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
  const days = values['expiry-warning-days'] === undefined ? undefined : Number(values['expiry-warning-days']);
  if (days !== undefined && !(Number.isFinite(days) && days >= 0)) {
    console.error(`--expiry-warning-days must be a non-negative number\n${USAGE}`);
    return 2;
  }
  let pdf: Buffer;
  try {
    pdf = readFileSync(positionals[0]!);
  } catch (err) {
    console.error(`cannot read ${positionals[0]}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const report = await validatePdfSignatures(pdf, {
    ...(values['signer-sha256'] ? { expectedSignerSha256: values['signer-sha256'] } : {}),
    allowIncrementalUpdates: values['allow-incremental'],
    ...(days !== undefined ? { expiryWarningDays: days } : {}),
  });
  console.log(formatReport(report));
  return report.verdict === 'valid' ? 0 : report.verdict === 'invalid' ? 1 : 2;
}

process.exitCode = await main(process.argv.slice(2));
