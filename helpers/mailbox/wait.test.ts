import { describe, expect, it } from 'vitest';
import type { Mailbox, MailMessage, MailSummary } from './types.ts';
import { waitForMessages } from './wait.ts';

/** A mailbox whose contents change with a fake clock; counts its searches. */
function fakeMailbox(schedule: { at: number; message: MailMessage }[], clock: { t: number }) {
  const searches: string[] = [];
  const mailbox: Mailbox = {
    where: 'fake mailbox',
    async search(to: string): Promise<MailSummary[]> {
      searches.push(to);
      return schedule.filter((s) => s.at <= clock.t && s.message.to.includes(to)).map((s) => s.message).reverse();
    },
    async fetch(summary) {
      return schedule.find((s) => s.message.id === summary.id)!.message;
    },
    async total() {
      return schedule.filter((s) => s.at <= clock.t).length;
    },
    async close() {},
  };
  return { mailbox, searches };
}

const msg = (id: string, to: string, subject: string, text = ''): MailMessage => ({ id, to: [to], subject, from: [], text, html: `<p>${text}</p>` });

describe('waitForMessages', () => {
  it('waits for every query under one deadline, polling at most once per recipient per round', async () => {
    const clock = { t: 0 };
    const { mailbox, searches } = fakeMailbox(
      [
        { at: 0, message: msg('1', 'a@x.test', 'Welcome') },
        { at: 0, message: msg('2', 'a@x.test', 'Reset your password') },
        { at: 1_000, message: msg('3', 'b@x.test', 'Invitation') },
      ],
      clock,
    );
    const sleeps: number[] = [];
    const out = await waitForMessages(
      mailbox,
      [
        { label: 'welcome', to: 'a@x.test', subject: /welcome/i },
        { label: 'reset', to: 'a@x.test', subject: /reset/i },
        { label: 'invite', to: 'b@x.test' },
      ],
      { deadlineMs: 5_000, intervalMs: 500, now: () => clock.t, sleep: async (ms) => { sleeps.push(ms); clock.t += ms; } },
    );
    expect(out.map((o) => ('message' in o ? o.message.id : o.failure))).toEqual(['1', '2', '3']);
    expect(sleeps).toEqual([500, 500]);
    // Round 1: a and b; rounds 2 and 3: only b is still pending.
    expect(searches).toEqual(['a@x.test', 'b@x.test', 'b@x.test', 'b@x.test']);
  });

  it('fails at the deadline saying expected, seen and where; never waits under 250 ms between rounds', async () => {
    const clock = { t: 0 };
    const { mailbox } = fakeMailbox([{ at: 0, message: msg('1', 'a@x.test', 'Welcome') }, { at: 0, message: msg('2', 'z@x.test', 'Other') }], clock);
    const sleeps: number[] = [];
    const [out] = await waitForMessages(mailbox, [{ label: 'reset', to: 'a@x.test', subject: /reset/ }], {
      deadlineMs: 1_000,
      intervalMs: 10,
      now: () => clock.t,
      sleep: async (ms) => { sleeps.push(ms); clock.t += ms; },
    });
    expect(sleeps.every((s) => s === 250)).toBe(true);
    expect(out && 'failure' in out ? out.failure : '').toBe(
      'no message to a@x.test with subject ~ /reset/ within 1 s; that address got 1 other message(s): "Welcome"; fake mailbox had 1 message(s) for other recipients',
    );
  });

  it('matches a reference in the body when an address gets several alike, and one message answers one query', async () => {
    const clock = { t: 0 };
    const { mailbox } = fakeMailbox(
      [
        { at: 0, message: msg('1', 'p@x.test', 'Consent signed', 'Reference: c-1') },
        { at: 0, message: msg('2', 'p@x.test', 'Consent signed', 'Reference: c-2') },
      ],
      clock,
    );
    const out = await waitForMessages(
      mailbox,
      [
        { label: 'mine', to: 'p@x.test', contains: 'c-1' },
        { label: 'any', to: 'p@x.test' },
      ],
      { deadlineMs: 0, now: () => clock.t },
    );
    expect(out.map((o) => ('message' in o ? o.message.id : o.failure))).toEqual(['1', '2']);
  });

  it('keeps polling through a mailbox error and reports the last one', async () => {
    const clock = { t: 0 };
    const mailbox: Mailbox = {
      where: 'flaky',
      search: async () => {
        throw new Error('503 Service Unavailable');
      },
      fetch: async () => {
        throw new Error('unused');
      },
      total: async () => undefined,
      close: async () => undefined,
    };
    const [out] = await waitForMessages(mailbox, [{ label: 'x', to: 'a@x.test' }], { deadlineMs: 600, now: () => clock.t, sleep: async (ms) => { clock.t += ms; } });
    expect(out && 'failure' in out ? out.failure : '').toBe('no message to a@x.test within 0.6 s; in flaky; last error: 503 Service Unavailable');
  });
});
