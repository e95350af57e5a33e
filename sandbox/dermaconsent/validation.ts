/**
 * Request-body validation with the real API's behaviour (NestJS ValidationPipe
 * with whitelist + forbidNonWhitelisted, class-validator messages): 400, no
 * errorCode, `message` a list of strings, unknown properties rejected.
 */
import { HttpError } from '../http/router.ts';

/** One constraint: the message(s) when `value` breaks it. */
export type Constraint = (value: unknown, name: string) => string | string[] | undefined;

export interface FieldRule {
  optional: boolean;
  constraints: Constraint[];
}

export type Schema = Record<string, FieldRule>;

export const required = (...constraints: Constraint[]): FieldRule => ({ optional: false, constraints });
/** Like @IsOptional(): undefined and null skip the constraints. */
export const optional = (...constraints: Constraint[]): FieldRule => ({ optional: true, constraints });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isString: Constraint = (v, n) => (typeof v === 'string' ? undefined : `${n} must be a string`);
export const notEmpty: Constraint = (v, n) =>
  v === undefined || v === null || v === '' ? `${n} should not be empty` : undefined;
export const isObject: Constraint = (v, n) => (isRecord(v) ? undefined : `${n} must be an object`);
export const isArray: Constraint = (v, n) => (Array.isArray(v) ? undefined : `${n} must be an array`);
export const isNumber: Constraint = (v, n) =>
  typeof v === 'number' && Number.isFinite(v) ? undefined : `${n} must be a number conforming to the specified constraints`;

// Close enough to validator.js isEmail for synthetic and real addresses alike.
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
export const isEmail: Constraint = (v, n) =>
  typeof v === 'string' && v.length <= 254 && EMAIL.test(v) ? undefined : `${n} must be an email`;

export const minLength =
  (min: number): Constraint =>
  (v, n) =>
    typeof v === 'string' && v.length >= min ? undefined : `${n} must be longer than or equal to ${min} characters`;

export const maxLength =
  (max: number): Constraint =>
  (v, n) =>
    typeof v === 'string' && v.length > max ? `${n} must be shorter than or equal to ${max} characters` : undefined;

export const isIn =
  (values: readonly string[]): Constraint =>
  (v, n) =>
    typeof v === 'string' && values.includes(v) ? undefined : `${n} must be one of the following values: ${values.join(', ')}`;

export const matches =
  (pattern: RegExp, message: string): Constraint =>
  (v) =>
    typeof v === 'string' && pattern.test(v) ? undefined : message;

/** Runs `schema` over `body`; throws the 400 with every message, else returns the known fields. */
export function validateBody(body: unknown, schema: Schema): Record<string, unknown> {
  const input = body ?? {};
  if (!isRecord(input)) throw new HttpError(400, undefined, ['request body must be a JSON object']);
  const messages: string[] = [];
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(schema, key)) messages.push(`property ${key} should not exist`);
  }
  for (const [name, rule] of Object.entries(schema)) {
    const value = input[name];
    if (rule.optional && (value === undefined || value === null)) continue;
    for (const constraint of rule.constraints) {
      const found = constraint(value, name);
      if (typeof found === 'string') messages.push(found);
      else if (found) messages.push(...found);
    }
  }
  if (messages.length > 0) throw new HttpError(400, undefined, messages);
  return input;
}
