/**
 * Stripe API keys judged by their shape only (DC-PAY-1): the prefix names the
 * kind and the mode. Messages name the prefix ("rk_live_…"), never the key.
 */
export type StripeMode = 'live' | 'test';
export type KeyKind = 'secret' | 'restricted' | 'publishable';

export interface KeyShape {
  kind: KeyKind;
  mode: StripeMode;
  /** The non-secret prefix, e.g. `rk_live_`. */
  prefix: string;
}

const KINDS: Record<string, KeyKind> = { sk: 'secret', rk: 'restricted', pk: 'publishable' };

export function keyShape(key: string): KeyShape | undefined {
  const m = /^(sk|rk|pk)_(live|test)_[A-Za-z0-9]{8,}$/.exec(key.trim());
  if (!m) return undefined;
  return { kind: KINDS[m[1] as string] as KeyKind, mode: m[2] as StripeMode, prefix: `${m[1]}_${m[2]}_` };
}

/** "a restricted live-mode key (rk_live_…)": safe to print. */
export function describeKey(key: string): string {
  const shape = keyShape(key);
  return shape ? `a ${shape.kind} ${shape.mode}-mode key (${shape.prefix}…)` : 'a value that is not a Stripe key (expected sk_…, rk_… with _live_ or _test_)';
}

export interface Evaluation {
  failures: string[];
  warnings: string[];
}

/** The key's mode against the environment's: live in prod, test elsewhere (or SMOKE_STRIPE_MODE). */
export function evaluateKeyMode(key: string, expected: StripeMode, where: string): Evaluation {
  const failures: string[] = [];
  const warnings: string[] = [];
  const shape = keyShape(key);
  if (!shape) {
    failures.push(`expected a ${expected}-mode secret or restricted key for ${where}, saw ${describeKey(key)}`);
  } else if (shape.kind === 'publishable') {
    failures.push(`expected a ${expected}-mode secret or restricted key for ${where}, saw ${describeKey(key)}: a publishable key cannot read prices or webhook endpoints`);
  } else if (shape.mode !== expected) {
    failures.push(`expected a ${expected}-mode key for ${where}, saw ${describeKey(key)}`);
  } else if (shape.mode === 'live' && shape.kind === 'secret') {
    warnings.push(`${describeKey(key)}: the checks need only a restricted key with read access (rk_live_…); a full secret key can move money`);
  }
  return { failures, warnings };
}

/** Replaces anything key- or secret-shaped in a message (Stripe echoes "sk_test_****abcd") with its prefix. */
export function redactStripeSecrets(text: string): string {
  return text
    .replace(/\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*]+/g, '$1_$2_…')
    .replace(/\bwhsec_[A-Za-z0-9+/=*_-]+/g, 'whsec_…');
}
