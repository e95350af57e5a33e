import { describe, expect, it } from 'vitest';
import { groupFaults, groupFaultsByArea, runsAlone, specFilesById, specsOf } from './grouping.ts';

const sources = {
  'tests/http-security.spec.ts': "test('DC-HDR-1 every response has HSTS', ...)\n  test(\n    'DC-SEC-2 CORS grants the frontend', ...)",
  'tests/email.spec.ts': "test(`DC-MAIL-1 SPF`, ...); test('DC-SEC-2 links point to the frontend', ...)",
  'tests/health.spec.ts': "test(\"DC-HEALTH-2 DC-DB-1 readiness\", ...); test('no id here', ...)",
  'tests/flows.spec.ts': "test('DC-FLOW-1 registers', ...)",
};
const byId = specFilesById(sources);

describe('specFilesById', () => {
  it('maps every ID a test title starts with to its spec files, across quotes and line breaks', () => {
    expect([...(byId.get('DC-SEC-2') ?? [])].sort()).toEqual(['tests/email.spec.ts', 'tests/http-security.spec.ts']);
    expect([...(byId.get('DC-DB-1') ?? [])]).toEqual(['tests/health.spec.ts']);
    expect([...(byId.get('DC-MAIL-1') ?? [])]).toEqual(['tests/email.spec.ts']);
    expect(byId.has('DC-FLOW-2')).toBe(false);
  });
});

describe('groupFaults', () => {
  const f = (name: string, ...ids: string[]) => ({ name, expect: ids });
  it('groups faults of different spec files, up to the size, in order', () => {
    const groups = groupFaults([f('hsts', 'DC-HDR-1'), f('cors', 'DC-SEC-2'), f('spf', 'DC-MAIL-1'), f('db', 'DC-DB-1'), f('reg', 'DC-FLOW-1')], byId, 3);
    expect(groups.map((g) => g.map((x) => x.name))).toEqual([['hsts', 'spf', 'db'], ['cors', 'reg']]);
  });
  it('never pairs faults that share a spec file or an expected ID', () => {
    const groups = groupFaults([f('links', 'DC-SEC-2'), f('spf', 'DC-MAIL-1'), f('hsts', 'DC-HDR-1')], byId, 3);
    // links touches http-security and email: neither partner may join it.
    expect(groups.map((g) => g.map((x) => x.name))).toEqual([['links'], ['spf', 'hsts']]);
  });
  it('runs alone what expects nothing, what no spec carries, and what spans three spec files', () => {
    expect(runsAlone(f('slow'), byId)).toBe(true);
    expect(runsAlone(f('ghost', 'DC-NOPE-1'), byId)).toBe(true);
    expect(runsAlone(f('wide', 'DC-HDR-1', 'DC-MAIL-1', 'DC-FLOW-1'), byId)).toBe(true);
    expect(specsOf(f('two', 'DC-HDR-1', 'DC-MAIL-1'), byId).size).toBe(2);
    const groups = groupFaults([f('slow'), f('hsts', 'DC-HDR-1'), f('spf', 'DC-MAIL-1')], byId, 3);
    expect(groups.map((g) => g.map((x) => x.name))).toEqual([['slow'], ['hsts', 'spf']]);
  });
  it('keeps a fault away from the spec files it makes skip', () => {
    const groups = groupFaults([f('submit', 'DC-FLOW-1'), f('hsts', 'DC-HDR-1')].map((x) => (x.name === 'hsts' ? x : { ...x, reaches: ['tests/http-security.spec.ts'] })), byId, 3);
    expect(groups).toHaveLength(2);
  });
  it('with size 1, every fault runs alone', () => {
    expect(groupFaults([f('hsts', 'DC-HDR-1'), f('spf', 'DC-MAIL-1')], byId, 1)).toHaveLength(2);
  });
});

describe('groupFaultsByArea', () => {
  const f = (name: string, ...ids: string[]) => ({ name, expect: ids });
  it('puts faults of one area with different IDs together, and never two of one ID', () => {
    const groups = groupFaultsByArea([f('hsts', 'DC-HDR-1'), f('hsts2', 'DC-HDR-1'), f('cors', 'DC-SEC-2'), f('spf', 'DC-MAIL-1'), f('reg', 'DC-FLOW-1')], byId, 4);
    const names = groups.map((g) => g.map((x) => x.name).sort().join('+')).sort();
    // hsts and hsts2 share DC-HDR-1: never one sandbox; cors spans two files (its own area).
    expect(names).toEqual(['cors', 'hsts+spf+reg', 'hsts2'].map((n) => n.split('+').sort().join('+')).sort());
  });
  it('pairs within an area only when IDs are disjoint and nobody makes a partner skip', () => {
    const a = { name: 'a', expect: ['DC-FLOW-1'], reaches: ['tests/flows.spec.ts'] };
    const groups = groupFaultsByArea([a, f('b', 'DC-FLOW-1')], byId, 4);
    expect(groups).toHaveLength(2);
  });
  it('keeps what must run alone alone', () => {
    expect(groupFaultsByArea([f('slow'), f('hsts', 'DC-HDR-1')], byId, 4).map((g) => g.length)).toEqual([1, 1]);
  });
});
