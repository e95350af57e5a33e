import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from './http.ts';
import { installWriteGuard, writeRefusal, type WriteGuard } from './write-guard.ts';

const off: WriteGuard = { writesAllowed: false, origins: ['https://api.example.test'], reason: 'writes are off on prod (SMOKE_ALLOW_WRITES)' };

describe('writeRefusal', () => {
  it('lets reads through and refuses every other method to a target origin, naming the request', () => {
    for (const m of ['GET', 'head', 'OPTIONS']) expect(writeRefusal(off, m, 'https://api.example.test/api/x')).toBeUndefined();
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(writeRefusal(off, m, 'https://api.example.test/api/x')?.message).toMatch(new RegExp(`refused ${m} https://api.example.test/api/x: writes are off on prod`));
    }
  });
  it('leaves other origins and allowed runs alone, and refuses what it cannot parse', () => {
    expect(writeRefusal(off, 'POST', 'https://elsewhere.test/x')).toBeUndefined();
    expect(writeRefusal({ ...off, writesAllowed: true }, 'POST', 'https://api.example.test/x')).toBeUndefined();
    expect(writeRefusal(off, 'POST', 'not a url')).toBeDefined();
  });
});

describe('the suite HTTP client behind the guard', () => {
  let server: http.Server;
  let origin = '';
  const seen: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.method ?? '');
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('never sends a write when writes are off: the server sees the read only', async () => {
    installWriteGuard({ ...off, origins: [origin] });
    await expect(httpRequest('POST', `${origin}/api/consent`, { body: { type: 'BOTOX' } })).rejects.toThrow(/write guard: refused POST/);
    expect((await httpRequest('GET', `${origin}/api/health`)).status).toBe(200);
    expect(seen).toEqual(['GET']);
    installWriteGuard({ ...off, origins: [origin], writesAllowed: true });
  });
});
