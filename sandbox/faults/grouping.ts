/**
 * Which faults may share one sandbox in the fault matrix (pure, unit-tested).
 *
 * A suite run costs about 45 CPU-seconds here, and the catalogue holds sixty
 * faults: one run per fault would take over twenty minutes on two cores. So
 * faults whose checks live in different spec files run together, up to four
 * a sandbox: each is still held to exactly its own IDs, and any check that
 * fails outside the group's expected IDs is noise. A group with any row that
 * is not `caught` is run again one fault at a time, so a verdict that counts
 * is never blurred by a partner. What grouping cannot show is a fault that
 * misses its own check while a partner breaks that same check: partners never
 * share a spec file, so that takes two faults going wrong at once, in
 * different areas; SMOKE_MATRIX_GROUP=1 runs every fault alone for that proof.
 */
import { checklistIds } from '../../helpers/checklist.ts';

export interface GroupableFault {
  name: string;
  expect: readonly string[];
  /** Spec files whose checks it makes skip (sandbox/faults/fault.ts). */
  reaches?: readonly string[];
}

/** Checklist ID -> the spec files with a test whose title carries it. */
export function specFilesById(specSources: Record<string, string>): Map<string, Set<string>> {
  const byId = new Map<string, Set<string>>();
  for (const [file, source] of Object.entries(specSources)) {
    for (const match of source.matchAll(/\btest\(\s*(['"`])((?:(?!\1).)*)/g)) {
      for (const id of checklistIds(match[2] ?? '')) {
        const files = byId.get(id) ?? new Set<string>();
        files.add(file);
        byId.set(id, files);
      }
    }
  }
  return byId;
}

/** The spec files a fault's expected failures live in, and those whose checks it makes skip. */
export function specsOf(fault: GroupableFault, byId: Map<string, Set<string>>): Set<string> {
  return new Set([...fault.expect.flatMap((id) => [...(byId.get(id) ?? [])]), ...(fault.reaches ?? [])]);
}

/**
 * Runs alone: a fault that expects nothing (`slow`: its whole claim is that
 * nothing fails), whose IDs no spec carries, or whose failures span three or
 * more spec files (it breaks the app broadly and would shadow any partner).
 */
export function runsAlone(fault: GroupableFault, byId: Map<string, Set<string>>): boolean {
  const specs = new Set(fault.expect.flatMap((id) => [...(byId.get(id) ?? [])]));
  return fault.expect.length === 0 || specs.size === 0 || specs.size >= 3;
}

/**
 * Greedy grouping in the given order (longest runs first): each group takes
 * the next faults whose spec files and expected IDs are disjoint from the
 * group's, up to `maxSize`.
 */
export function groupFaults(faults: readonly GroupableFault[], byId: Map<string, Set<string>>, maxSize: number): GroupableFault[][] {
  let left = [...faults];
  const groups: GroupableFault[][] = [];
  const bucket = (f: GroupableFault) => [...specsOf(f, byId)].sort().join(' ');
  while (left.length > 0) {
    // Faults of the fullest spec files first: no two of one file share a
    // sandbox, so those files set how many sandboxes are needed at least.
    const counts = new Map<string, number>();
    for (const f of left) counts.set(bucket(f), (counts.get(bucket(f)) ?? 0) + 1);
    const order = new Map(left.map((f, i) => [f, i]));
    left = [...left].sort((a, b) => (counts.get(bucket(b)) ?? 0) - (counts.get(bucket(a)) ?? 0) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const first = left.shift() as GroupableFault;
    const group = [first];
    if (maxSize > 1 && !runsAlone(first, byId)) {
      const specs = specsOf(first, byId);
      const ids = new Set(first.expect);
      for (let i = 0; i < left.length && group.length < maxSize; ) {
        const candidate = left[i] as GroupableFault;
        const candidateSpecs = specsOf(candidate, byId);
        const disjoint =
          !runsAlone(candidate, byId) &&
          [...candidateSpecs].every((s) => !specs.has(s)) &&
          candidate.expect.every((id) => !ids.has(id));
        if (disjoint) {
          group.push(candidate);
          candidateSpecs.forEach((s) => specs.add(s));
          candidate.expect.forEach((id) => ids.add(id));
          left.splice(i, 1);
        } else {
          i += 1;
        }
      }
    }
    groups.push(group);
  }
  return groups;
}

/** The spec files of a fault's expected checks only (not those it makes skip). */
function expectedSpecs(fault: GroupableFault, byId: Map<string, Set<string>>): Set<string> {
  return new Set(fault.expect.flatMap((id) => [...(byId.get(id) ?? [])]));
}

/**
 * Grouping for scoped runs: faults of one area (the same spec files) share a
 * sandbox when their expected IDs are disjoint and none makes a partner's
 * checks skip, so the sandbox runs only that area's specs (a short run). The
 * soundness argument is the one above, at the level of checklist IDs: a
 * fault missing its own check while a partner breaks that very check takes
 * two faults going wrong at once, and "caught by" names the tests. Faults
 * left alone in their area are then grouped across areas as before.
 */
export function groupFaultsByArea(faults: readonly GroupableFault[], byId: Map<string, Set<string>>, maxSize: number): GroupableFault[][] {
  if (maxSize <= 1) return faults.map((f) => [f]);
  const groups: GroupableFault[][] = [];
  const areas = new Map<string, GroupableFault[]>();
  for (const f of faults) {
    if (runsAlone(f, byId)) {
      groups.push([f]);
      continue;
    }
    const key = [...specsOf(f, byId)].sort().join(' ');
    areas.set(key, [...(areas.get(key) ?? []), f]);
  }
  const leftovers: GroupableFault[] = [];
  for (const members of areas.values()) {
    let left = [...members];
    while (left.length > 0) {
      const first = left.shift() as GroupableFault;
      const group = [first];
      const ids = new Set(first.expect);
      for (let i = 0; i < left.length && group.length < maxSize; ) {
        const c = left[i] as GroupableFault;
        const reachesPartner = group.some(
          (g) => (c.reaches ?? []).some((s) => expectedSpecs(g, byId).has(s)) || (g.reaches ?? []).some((s) => expectedSpecs(c, byId).has(s)),
        );
        if (!reachesPartner && c.expect.every((id) => !ids.has(id))) {
          group.push(c);
          c.expect.forEach((id) => ids.add(id));
          left.splice(i, 1);
        } else i += 1;
      }
      if (group.length > 1) groups.push(group);
      else leftovers.push(first);
    }
  }
  return [...groups, ...groupFaults(leftovers, byId, maxSize)];
}
