/**
 * Finds secrets in what a run leaves behind (reports/): the values of the
 * run's secret settings and synthetic passwords, and the shapes of secrets
 * that should never be written anywhere (Stripe keys, webhook secrets, JWTs,
 * private keys, database URLs with a password). A finding names the file and
 * the kind of secret, never the value.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';

export interface KnownSecret {
  /** What it is, for the finding (e.g. "SMOKE_STRIPE_KEY", "the run's master password"). */
  label: string;
  value: string;
}

export interface SecretFinding {
  file: string;
  kind: string;
}

const SHAPES: Array<[RegExp, string]> = [
  [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{10,}/, 'a Stripe secret or restricted key'],
  [/\bwhsec_[A-Za-z0-9]{10,}/, 'a Stripe webhook signing secret'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JWT'],
  [/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/, 'a PEM private key'],
  [/\bpostgres(ql)?:\/\/[^:\s/@]+:[^@\s]+@/, 'a database URL with a password'],
  // strongPassword() and runPassword(): the redaction reporter blanks them; this proves it did.
  [/Sm0ke-[A-Za-z0-9_-]{16}-aA1/, "a synthetic password of a run"],
];

/** Values too short to search for without false alarms are left to the shapes. */
const MIN_VALUE_LENGTH = 8;

/** The kinds of secret in one text. */
export function secretsIn(text: string, known: readonly KnownSecret[]): string[] {
  const kinds = new Set<string>();
  for (const s of known) {
    if (s.value.length >= MIN_VALUE_LENGTH && text.includes(s.value)) kinds.add(`the value of ${s.label}`);
  }
  for (const [re, kind] of SHAPES) if (re.test(text)) kinds.add(kind);
  return [...kinds];
}

function zipEntries(name: string, buf: Buffer): Array<{ name: string; text: string }> | undefined {
  try {
    return new AdmZip(buf)
      .getEntries()
      .filter((e) => !e.isDirectory)
      .flatMap((e) => textsOfBuffer(`${name}!${e.entryName}`, e.getData()));
  } catch {
    return undefined;
  }
}

/** Text as the scanner reads it: zip archives (traces) entry by entry, the HTML report's embedded zip opened. */
function textsOfBuffer(name: string, buf: Buffer): Array<{ name: string; text: string }> {
  if (buf.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return zipEntries(name, buf) ?? [{ name, text: buf.toString('latin1') }];
  const text = buf.toString('latin1');
  const embedded = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(text);
  const inner = embedded?.[1] ? zipEntries(`${name} (embedded report data)`, Buffer.from(embedded[1], 'base64')) ?? [] : [];
  return [{ name, text }, ...inner];
}

function textsOf(file: string): Array<{ name: string; text: string }> {
  return textsOfBuffer(file, readFileSync(file));
}

function* filesUnder(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) yield* filesUnder(full);
    else if (st.isFile()) yield full;
  }
}

/** Scans every file under `dir` (trace zips opened); returns one finding per file and kind. */
export function scanForSecrets(dir: string, known: readonly KnownSecret[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const file of filesUnder(dir)) {
    for (const { name, text } of textsOf(file)) {
      for (const kind of secretsIn(text, known)) findings.push({ file: name, kind });
    }
  }
  return findings;
}
