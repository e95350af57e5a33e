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
  return new UpdateJudge(layout, buf, from, to).judge();
}

/** One update's objects, their roles (signature field, DSS, catalog…), and the verdict on each. */
class UpdateJudge {
  private readonly before = new Map<number, IndirectObject>();
  private readonly after = new Map<number, IndirectObject>();
  private readonly trailerBefore?: DictValue;
  private readonly trailerAfter?: DictValue;
  private readonly harmless: string[] = [];
  private readonly changes: string[] = [];
  /** New (or newly filled) signature fields and widgets. */
  private readonly sigFields = new Set<number>();
  /** New objects a signature brings along: appearance streams and their resources, the DSS's contents. */
  private readonly reachable = new Set<number>();
  private readonly roots: { root?: number; infoBefore?: number; infoAfter?: number; dss?: number; acroForm?: number };

  constructor(
    private readonly layout: PdfLayout,
    private readonly buf: Buffer,
    private readonly from: number,
    private readonly to: number,
  ) {
    for (const o of layout.objects) {
      if (o.start < from) this.before.set(o.num, o);
      else if (o.start < to) this.after.set(o.num, o);
    }
    this.trailerBefore = lastTrailer(layout, this.before, 0, from);
    this.trailerAfter = lastTrailer(layout, this.after, from, to) ?? this.trailerBefore;
    const root = refNum(this.trailerAfter?.entries.get('Root'));
    const catalog = asDict(root === undefined ? undefined : this.current(root)?.value);
    this.roots = {
      root,
      infoBefore: refNum(this.trailerBefore?.entries.get('Info')),
      infoAfter: refNum(this.trailerAfter?.entries.get('Info')),
      dss: refNum(catalog?.entries.get('DSS')),
      acroForm: refNum(catalog?.entries.get('AcroForm')),
    };
  }

  judge(): UpdateAnalysis {
    for (const m of this.layout.malformed.filter((x) => x.start >= this.from && x.start < this.to)) {
      this.changes.push(`object ${m.num} does not parse (${m.error}), so what it changes cannot be judged`);
    }
    const touched = [...this.after.values()].filter((o) => {
      const old = this.before.get(o.num);
      return !old || !sameObject(this.buf, old, o);
    });
    this.findSignatureObjects(touched);
    for (const o of touched) {
      if (name(asDict(o.value)?.entries.get('Type')) === 'XRef') continue; // a cross-reference stream: the trailer, compared below
      const old = this.before.get(o.num);
      if (old) this.judgeChanged(o, old);
      else this.judgeNew(o);
    }
    this.judgeTrailer();
    return { harmless: this.harmless, changes: this.changes };
  }

  private current(num: number): IndirectObject | undefined {
    return this.after.get(num) ?? this.before.get(num);
  }

  private resolve(v: PdfValue | undefined): PdfValue | undefined {
    return v?.kind === 'ref' ? this.current(v.num)?.value : v;
  }

  private isSigField(d: DictValue | undefined, depth = 0): boolean {
    if (!d || depth > 8) return false;
    if (name(d.entries.get('FT')) === 'Sig') return true;
    return this.isSigField(asDict(this.resolve(d.entries.get('Parent'))), depth + 1);
  }

  /** An empty signature field filled: only /V and /AP may change. */
  private isFilledSigField(o: IndirectObject, old: IndirectObject): boolean {
    const d = asDict(o.value);
    const oldDict = asDict(old.value);
    return Boolean(d && oldDict && this.isSigField(oldDict) && !oldDict.entries.has('V') && changedKeys(oldDict, d).every((k) => k === 'V' || k === 'AP'));
  }

  private findSignatureObjects(touched: IndirectObject[]): void {
    for (const o of touched) {
      const old = this.before.get(o.num);
      if (old ? this.isFilledSigField(o, old) : this.isSigField(asDict(o.value))) this.sigFields.add(o.num);
    }
    for (const num of this.sigFields) this.reach(asDict(this.after.get(num)!.value)?.entries.get('AP'));
    const { dss } = this.roots;
    if (dss !== undefined && this.after.has(dss)) {
      this.reachable.add(dss);
      this.reach(this.after.get(dss)!.value);
    }
  }

  private reach(v: PdfValue | undefined, depth = 0): void {
    if (!v || depth > 32) return;
    if (v.kind === 'ref') {
      const o = this.after.get(v.num);
      if (!o || this.before.has(v.num) || this.reachable.has(v.num)) return;
      this.reachable.add(v.num);
      this.reach(o.value, depth + 1);
    } else if (v.kind === 'dict') for (const c of v.entries.values()) this.reach(c, depth + 1);
    else if (v.kind === 'array') for (const c of v.items) this.reach(c, depth + 1);
  }

  /** An array of references that only gained signature fields/widgets: the ones gained, else undefined. */
  private onlyAddsSigFields(old: PdfValue | undefined, now: PdfValue | undefined): number[] | undefined {
    const o = this.resolve(old);
    const n = this.resolve(now);
    const oldItems = o?.kind === 'array' ? o.items.map(canonical) : o === undefined ? [] : undefined;
    if (!oldItems || n?.kind !== 'array') return undefined;
    const newItems = n.items.map(canonical);
    if (!oldItems.every((x) => newItems.includes(x))) return undefined;
    const gained = n.items.filter((x) => !oldItems.includes(canonical(x)));
    if (!gained.every((x) => x.kind === 'ref' && this.sigFields.has(x.num))) return undefined;
    return gained.map((x) => (x as Ref).num);
  }

  private acroFormOk(old: PdfValue | undefined, now: PdfValue | undefined): boolean {
    if (now?.kind === 'ref') return old === undefined || (old.kind === 'ref' && old.num === now.num) || !this.before.has(now.num);
    const o = asDict(old) ?? emptyDict;
    const n = asDict(now);
    if (!n) return false;
    return changedKeys(o, n).every((k) => ACROFORM_KEYS.has(k) && (k !== 'Fields' || this.onlyAddsSigFields(o.entries.get(k), n.entries.get(k)) !== undefined));
  }

  private judgeNew(o: IndirectObject): void {
    const d = asDict(o.value);
    const { dss, acroForm, infoAfter, infoBefore } = this.roots;
    if (d?.entries.has('ByteRange') && d.entries.has('Contents')) this.harmless.push(`signature dictionary ${o.num}`);
    else if (this.sigFields.has(o.num)) this.harmless.push(`new signature field ${o.num}${d?.entries.get('T')?.kind === 'string' ? ` (${pdfString(d.entries.get('T'))})` : ''}`);
    else if (this.reachable.has(o.num)) this.harmless.push(o.num === dss ? `DSS ${o.num}` : `object ${o.num} of a signature's appearance or DSS`);
    else if (o.num === acroForm && d && this.onlyAddsSigFields(undefined, d.entries.get('Fields')) && changedKeys(emptyDict, d).every((k) => ACROFORM_KEYS.has(k))) {
      this.harmless.push(`new AcroForm ${o.num} listing signature field(s) only`);
    } else if (o.num === infoAfter && infoBefore !== undefined) {
      this.judgeInfo(o.num, asDict(this.before.get(infoBefore)?.value), d);
    } else if (o.value.kind === 'array' && this.onlyAddsSigFields(undefined, o.value)) {
      this.harmless.push(`new array ${o.num} of signature widgets`);
    } else this.changes.push(`new ${describeObject(o)}, which is not part of a signature`);
  }

  private judgeChanged(o: IndirectObject, old: IndirectObject): void {
    const label = describeObject(o);
    if (o.stream || old.stream) {
      return void this.changes.push(`${label} was replaced${o.stream && old.stream ? ': its stream data changed' : ''}`);
    }
    if (o.value.kind === 'array' && old.value.kind === 'array') {
      const gained = this.onlyAddsSigFields(old.value, o.value);
      if (gained) this.harmless.push(`array ${o.num} gained signature widget(s) ${gained.join(', ')}`);
      else this.changes.push(`${label} changed from ${canonical(old.value)} to ${canonical(o.value)}`);
      return;
    }
    const d = asDict(o.value);
    const oldDict = asDict(old.value);
    if (!d || !oldDict) return void this.changes.push(`${label} changed from ${canonical(old.value)} to ${canonical(o.value)}`);
    const keys = changedKeys(oldDict, d);
    const explain = (k: string) => `/${k} ${oldDict.entries.has(k) ? (d.entries.has(k) ? 'changed' : 'removed') : 'added'}`;
    const type = name(d.entries.get('Type'));
    const { root, acroForm, dss, infoAfter } = this.roots;
    if (o.num === root) {
      const bad = keys.filter((k) => !CATALOG_KEYS.has(k) || (k === 'AcroForm' && !this.acroFormOk(oldDict.entries.get(k), d.entries.get(k))));
      if (bad.length) this.changes.push(`the document catalog (${label}): ${bad.map(explain).join(', ')}`);
      else this.harmless.push(`catalog ${o.num}: ${keys.map(explain).join(', ')}`);
    } else if (type === 'Page') {
      const bad = keys.filter((k) => k !== 'Annots' || !this.onlyAddsSigFields(oldDict.entries.get(k), d.entries.get(k)));
      if (bad.length) this.changes.push(`page ${label}: ${bad.map(explain).join(', ')}`);
      else this.harmless.push(`page ${o.num}: /Annots gained signature widget(s) ${this.onlyAddsSigFields(oldDict.entries.get('Annots'), d.entries.get('Annots'))!.join(', ')}`);
    } else if (o.num === acroForm || type === 'AcroForm') {
      const bad = keys.filter((k) => !ACROFORM_KEYS.has(k) || (k === 'Fields' && !this.onlyAddsSigFields(oldDict.entries.get(k), d.entries.get(k))));
      if (bad.length) this.changes.push(`the AcroForm (${label}): ${bad.map(explain).join(', ')}`);
      else this.harmless.push(`AcroForm ${o.num}: ${keys.map(explain).join(', ')} (signature field(s) only)`);
    } else if (this.sigFields.has(o.num)) {
      this.harmless.push(`empty signature field ${o.num} filled`);
    } else if (o.num === dss || type === 'DSS' || this.reachable.has(o.num)) {
      this.harmless.push(`DSS ${o.num} updated`);
    } else if (o.num === infoAfter) {
      this.judgeInfo(o.num, oldDict, d);
    } else {
      this.changes.push(`${label}: ${keys.map(explain).join(', ')}`);
    }
  }

  /** The document information dictionary: only what signing tools touch may change. */
  private judgeInfo(num: number, old: DictValue | undefined, now: DictValue | undefined): void {
    const keys = changedKeys(old ?? emptyDict, now ?? emptyDict);
    const bad = keys.filter((k) => !INFO_KEYS.has(k));
    if (bad.length) this.changes.push(`the document information (object ${num}): ${bad.map((k) => `/${k}`).join(', ')} changed`);
    else if (keys.length) this.harmless.push(`document information ${num}: ${keys.map((k) => `/${k}`).join(', ')} updated`);
  }

  /** The trailer: same catalog, same encryption; a new /Info is judged as an object. */
  private judgeTrailer(): void {
    const { trailerBefore: before, trailerAfter: after } = this;
    if (!before || !after || before === after) return;
    for (const k of ['Root', 'Encrypt']) {
      if (canonical(before.entries.get(k)) !== canonical(after.entries.get(k))) {
        this.changes.push(`the trailer's /${k} changed from ${canonical(before.entries.get(k))} to ${canonical(after.entries.get(k))}`);
      }
    }
    const { infoAfter, infoBefore } = this.roots;
    if (infoAfter !== undefined && infoAfter !== infoBefore && !this.after.has(infoAfter)) {
      this.changes.push(`the trailer's /Info now points at object ${infoAfter} instead of ${infoBefore ?? 'none'}`);
    }
  }
}

const emptyDict: DictValue = { kind: 'dict', start: 0, end: 0, entries: new Map() };
// /Extensions: the developer extensions a PAdES signer declares (pyHanko's ESIC entry).
const CATALOG_KEYS = new Set(['AcroForm', 'DSS', 'Extensions']);
const ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'Type']);
/** What signing tools touch in the document information dictionary. */
const INFO_KEYS = new Set(['ModDate', 'Producer']);

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
