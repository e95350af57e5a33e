/**
 * What an incremental update changed, judged the way pyHanko's difference
 * analysis does: between a signed revision and a later one, only what adding a
 * signature needs is harmless (a new signature field and its widget, the
 * signature dictionary, the widget's appearance, the AcroForm and page /Annots
 * entries that reference them, the catalog's /AcroForm and a DSS/VRI for LTV).
 * Anything else (page content, other annotations, form values, catalog or
 * document-information changes) is named as a change.
 */
import { canonical, type DictValue, type IndirectObject, type PdfLayout, type PdfValue } from './syntax.ts';

export interface UpdateAnalysis {
  /** Harmless additions, for the report ("new signature field 12 (Signature2)"). */
  harmless: string[];
  /** Changes a signature may not allow, each naming the object and what changed. */
  changes: string[];
}

type Ref = Extract<PdfValue, { kind: 'ref' }>;

const name = (v: PdfValue | undefined) => (v?.kind === 'name' ? v.value : undefined);
const asDict = (v: PdfValue | undefined): DictValue | undefined => (v?.kind === 'dict' ? v : undefined);

/** Keys whose values differ between two dictionaries (added, removed or changed). */
function changedKeys(before: DictValue, after: DictValue): string[] {
  const keys = new Set([...before.entries.keys(), ...after.entries.keys()]);
  return [...keys].filter((k) => canonical(before.entries.get(k)) !== canonical(after.entries.get(k))).sort();
}

function describeValue(v: PdfValue | undefined): string {
  const d = asDict(v);
  if (!d) return v?.kind === 'array' ? 'an array' : `a ${v?.kind ?? 'missing value'}`;
  const parts: string[] = [];
  const type = name(d.entries.get('Type'));
  const subtype = name(d.entries.get('Subtype'));
  const ft = name(d.entries.get('FT'));
  if (type) parts.push(`/Type /${type}`);
  if (subtype) parts.push(`/Subtype /${subtype}`);
  if (ft) parts.push(`/FT /${ft}`);
  const t = d.entries.get('T');
  if (t?.kind === 'string') parts.push(`/T (${t.bytes.toString('latin1')})`);
  return parts.length ? parts.join(' ') : 'a dictionary';
}

function describeObject(o: IndirectObject): string {
  return `object ${o.num} (${o.stream ? `stream, ${describeValue(o.value)}` : describeValue(o.value)})`;
}

/**
 * The update between byte `from` (where the signed revision ends) and `to`,
 * compared with the document as it was at `from`.
 */
export function analyseUpdate(layout: PdfLayout, buf: Buffer, from: number, to: number): UpdateAnalysis {
  const before = new Map<number, IndirectObject>();
  const after = new Map<number, IndirectObject>();
  for (const o of layout.objects) {
    if (o.start < from) before.set(o.num, o);
    else if (o.start < to) after.set(o.num, o);
  }
  const trailerBefore = lastTrailer(layout, before, 0, from);
  const trailerAfter = lastTrailer(layout, after, from, to) ?? trailerBefore;
  const current = (num: number) => after.get(num) ?? before.get(num);
  const resolve = (v: PdfValue | undefined): PdfValue | undefined => (v?.kind === 'ref' ? current(v.num)?.value : v);

  const harmless: string[] = [];
  const changes: string[] = [];
  const malformed = layout.malformed.filter((m) => m.start >= from && m.start < to);
  for (const m of malformed) changes.push(`object ${m.num} does not parse (${m.error}), so what it changes cannot be judged`);

  const isSigField = (d: DictValue | undefined, depth = 0): boolean => {
    if (!d || depth > 8) return false;
    if (name(d.entries.get('FT')) === 'Sig') return true;
    return isSigField(asDict(resolve(d.entries.get('Parent'))), depth + 1);
  };
  // Objects added or changed by the update, with their roles.
  const added = [...after.values()].filter((o) => !before.has(o.num) || !sameObject(buf, before.get(o.num)!, o));
  const newSigFields = new Set(added.filter((o) => !before.has(o.num) && isSigField(asDict(o.value))).map((o) => o.num));
  const rootNum = refNum(trailerAfter?.entries.get('Root'));
  const infoBefore = refNum(trailerBefore?.entries.get('Info'));
  const infoAfter = refNum(trailerAfter?.entries.get('Info'));
  const catalog = asDict(rootNum === undefined ? undefined : current(rootNum)?.value);
  const dssNum = refNum(catalog?.entries.get('DSS'));
  const acroFormNum = refNum(catalog?.entries.get('AcroForm'));

  // What signature objects bring with them: appearance streams (and their resources), the DSS's contents.
  const reachable = new Set<number>();
  const reach = (v: PdfValue | undefined, depth = 0): void => {
    if (!v || depth > 32) return;
    if (v.kind === 'ref') {
      const o = after.get(v.num);
      if (!o || before.has(v.num) || reachable.has(v.num)) return;
      reachable.add(v.num);
      reach(o.value, depth + 1);
    } else if (v.kind === 'dict') for (const c of v.entries.values()) reach(c, depth + 1);
    else if (v.kind === 'array') for (const c of v.items) reach(c, depth + 1);
  };
  for (const num of newSigFields) reach(asDict(after.get(num)!.value)?.entries.get('AP'));
  if (dssNum !== undefined && after.has(dssNum)) {
    reachable.add(dssNum);
    reach(after.get(dssNum)!.value);
  }

  /** An array of references that only gained new signature fields/widgets. */
  const onlyAddsSigFields = (old: PdfValue | undefined, now: PdfValue | undefined): number[] | undefined => {
    const o = resolve(old);
    const n = resolve(now);
    const oldItems = o?.kind === 'array' ? o.items.map(canonical) : o === undefined ? [] : undefined;
    if (!oldItems || n?.kind !== 'array') return undefined;
    const newItems = n.items.map(canonical);
    if (!oldItems.every((x) => newItems.includes(x))) return undefined;
    const gained = n.items.filter((x) => !oldItems.includes(canonical(x)));
    if (!gained.every((x) => x.kind === 'ref' && newSigFields.has(x.num))) return undefined;
    return gained.map((x) => (x as Ref).num);
  };

  for (const o of added) {
    const old = before.get(o.num);
    const d = asDict(o.value);
    const type = name(d?.entries.get('Type'));
    const label = describeObject(o);
    if (type === 'XRef') continue; // a cross-reference stream: the trailer, compared below
    if (!old) {
      if (d?.entries.has('ByteRange') && d.entries.has('Contents')) harmless.push(`signature dictionary ${o.num}`);
      else if (newSigFields.has(o.num)) harmless.push(`new signature field ${o.num}${d?.entries.get('T')?.kind === 'string' ? ` (${pdfString(d.entries.get('T'))})` : ''}`);
      else if (reachable.has(o.num)) harmless.push(o.num === dssNum ? `DSS ${o.num}` : `object ${o.num} of a signature's appearance or DSS`);
      else if (o.num === acroFormNum && d && onlyAddsSigFields(undefined, d.entries.get('Fields')) && !changedKeys(emptyDict, d).some((k) => !ACROFORM_KEYS.has(k))) {
        harmless.push(`new AcroForm ${o.num} listing signature field(s) only`);
      } else if (o.num === infoAfter && infoBefore !== undefined) {
        judgeInfo(o.num, asDict(before.get(infoBefore)?.value), d, harmless, changes);
      } else if (o.value.kind === 'array' && onlyAddsSigFields(undefined, o.value)) {
        harmless.push(`new array ${o.num} of signature widgets`);
      } else changes.push(`new ${label}, which is not part of a signature`);
      continue;
    }
    const oldDict = asDict(old.value);
    if (o.stream || old.stream) {
      changes.push(`${label} was replaced${o.stream && old.stream ? ': its stream data changed' : ''}`);
      continue;
    }
    if (o.value.kind === 'array' && old.value.kind === 'array') {
      const gained = onlyAddsSigFields(old.value, o.value);
      if (gained) harmless.push(`array ${o.num} gained signature widget(s) ${gained.join(', ')}`);
      else changes.push(`${label} changed from ${canonical(old.value)} to ${canonical(o.value)}`);
      continue;
    }
    if (!d || !oldDict) {
      changes.push(`${label} changed from ${canonical(old.value)} to ${canonical(o.value)}`);
      continue;
    }
    const keys = changedKeys(oldDict, d);
    const explain = (k: string) => `/${k} ${oldDict.entries.has(k) ? (d.entries.has(k) ? 'changed' : 'removed') : 'added'}`;
    if (o.num === rootNum) {
      const bad = keys.filter((k) => !CATALOG_KEYS.has(k) || (k === 'AcroForm' && !acroFormOk(oldDict.entries.get(k), d.entries.get(k))));
      if (bad.length) changes.push(`the document catalog (${label}): ${bad.map(explain).join(', ')}`);
      else harmless.push(`catalog ${o.num}: ${keys.map(explain).join(', ')}`);
    } else if (type === 'Page') {
      const bad = keys.filter((k) => k !== 'Annots' || !onlyAddsSigFields(oldDict.entries.get(k), d.entries.get(k)));
      if (bad.length) changes.push(`page ${label}: ${bad.map(explain).join(', ')}`);
      else harmless.push(`page ${o.num}: /Annots gained signature widget(s) ${onlyAddsSigFields(oldDict.entries.get('Annots'), d.entries.get('Annots'))!.join(', ')}`);
    } else if (o.num === acroFormNum || type === 'AcroForm') {
      const bad = keys.filter((k) => !ACROFORM_KEYS.has(k) || (k === 'Fields' && !onlyAddsSigFields(oldDict.entries.get(k), d.entries.get(k))));
      if (bad.length) changes.push(`the AcroForm (${label}): ${bad.map(explain).join(', ')}`);
      else harmless.push(`AcroForm ${o.num}: ${keys.map(explain).join(', ')} (signature field(s) only)`);
    } else if (isSigField(oldDict) && !oldDict.entries.has('V') && keys.every((k) => k === 'V' || k === 'AP')) {
      harmless.push(`empty signature field ${o.num} filled`);
      newSigFields.add(o.num);
    } else if (o.num === dssNum || type === 'DSS' || reachable.has(o.num)) {
      harmless.push(`DSS ${o.num} updated`);
    } else if (o.num === infoAfter) {
      judgeInfo(o.num, oldDict, d, harmless, changes);
    } else {
      changes.push(`${label}: ${keys.map(explain).join(', ')}`);
    }
  }

  function acroFormOk(old: PdfValue | undefined, now: PdfValue | undefined): boolean {
    if (now?.kind === 'ref') return old === undefined || (old.kind === 'ref' && old.num === now.num) || !before.has(now.num);
    const o = asDict(old) ?? emptyDict;
    const n = asDict(now);
    if (!n) return false;
    return changedKeys(o, n).every((k) => ACROFORM_KEYS.has(k) && (k !== 'Fields' || onlyAddsSigFields(o.entries.get(k), n.entries.get(k)) !== undefined));
  }

  // The trailer: same catalog, same encryption; a new /Info is judged above as an object.
  if (trailerBefore && trailerAfter && trailerAfter !== trailerBefore) {
    for (const k of ['Root', 'Encrypt']) {
      if (canonical(trailerBefore.entries.get(k)) !== canonical(trailerAfter.entries.get(k))) {
        changes.push(`the trailer's /${k} changed from ${canonical(trailerBefore.entries.get(k))} to ${canonical(trailerAfter.entries.get(k))}`);
      }
    }
    if (infoAfter !== undefined && infoAfter !== infoBefore && !after.has(infoAfter)) {
      changes.push(`the trailer's /Info now points at object ${infoAfter} instead of ${infoBefore ?? 'none'}`);
    }
  }
  return { harmless, changes };
}

const emptyDict: DictValue = { kind: 'dict', start: 0, end: 0, entries: new Map() };
// /Extensions: the developer extensions a PAdES signer declares (pyHanko's ESIC entry).
const CATALOG_KEYS = new Set(['AcroForm', 'DSS', 'Extensions']);
const ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'Type']);
/** What signing tools touch in the document information dictionary. */
const INFO_KEYS = new Set(['ModDate', 'Producer']);

function judgeInfo(num: number, old: DictValue | undefined, now: DictValue | undefined, harmless: string[], changes: string[]): void {
  const keys = changedKeys(old ?? emptyDict, now ?? emptyDict);
  const bad = keys.filter((k) => !INFO_KEYS.has(k));
  if (bad.length) changes.push(`the document information (object ${num}): ${bad.map((k) => `/${k}`).join(', ')} changed`);
  else if (keys.length) harmless.push(`document information ${num}: ${keys.map((k) => `/${k}`).join(', ')} updated`);
}

function pdfString(v: PdfValue | undefined): string {
  return v?.kind === 'string' ? v.bytes.toString('latin1') : '';
}

function refNum(v: PdfValue | undefined): number | undefined {
  return v?.kind === 'ref' ? v.num : undefined;
}

function sameObject(buf: Buffer, a: IndirectObject, b: IndirectObject): boolean {
  if (canonical(a.value) !== canonical(b.value)) return false;
  if (!a.stream && !b.stream) return true;
  if (!a.stream || !b.stream) return false;
  return buf.subarray(a.stream.start, a.stream.end).equals(buf.subarray(b.stream.start, b.stream.end));
}

/** The trailer in force at the end of [from, to): the last classic trailer, or the last cross-reference stream's dictionary. */
function lastTrailer(layout: PdfLayout, objects: Map<number, IndirectObject>, from: number, to: number): DictValue | undefined {
  let best: { start: number; dict: DictValue } | undefined;
  for (const t of layout.trailers) if (t.start >= from && t.start < to && (!best || t.start > best.start)) best = t;
  for (const o of objects.values()) {
    const d = asDict(o.value);
    if (d && name(d.entries.get('Type')) === 'XRef' && o.start >= from && o.start < to && (!best || o.start > best.start)) best = { start: o.start, dict: d };
  }
  return best?.dict;
}
