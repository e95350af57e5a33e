/** Mail settings (DC-MAIL-*, DC-INT-3, NHC-MAIL-*): filled in by the email work. */
import { z } from 'zod';
import type { PartContext } from './settings-parts.ts';

/** Variables whose values are never printed. */
export const MAIL_SECRETS: readonly string[] = [];

export const mailShape = {} satisfies z.ZodRawShape;

export type MailSettings = Record<string, never>;

export function mailSettings(_v: { [K in keyof typeof mailShape]: z.output<(typeof mailShape)[K]> }, _c: PartContext): MailSettings | undefined {
  return undefined;
}
