/**
 * What the PDF faults do to a document after it was signed: the stories a
 * strict validator must catch. Each keeps the file a readable PDF.
 */

/** Changes one byte inside the signed range: the last hex digit of the /Title (the document number). */
export function tamperOneByte(pdf: Buffer): Buffer {
  const out = Buffer.from(pdf);
  const title = out.indexOf('/Title <');
  const end = title >= 0 ? out.indexOf('>', title + 8) : -1;
  const at = end > 0 ? end - 1 : Math.floor(out.length / 4);
  const c = out[at] as number;
  // '0' <-> '1' stays a hex digit (and a readable title); elsewhere flip a low bit.
  out[at] = c === 0x30 ? 0x31 : c === 0x31 ? 0x30 : c ^ 0x01;
  return out;
}

/**
 * Appends an incremental update (a new /Info with another title) after the
 * signature: the signed bytes stay intact and their signature still verifies,
 * but the file now has a revision no signature covers.
 */
export function appendIncrementalUpdate(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const startxref = [...text.matchAll(/startxref\s+(\d+)\s+%%EOF/g)].at(-1);
  const trailers = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>\s*startxref/g)];
  const trailer = trailers.at(-1)?.[1] ?? '';
  const root = /\/Root\s+(\d+\s+\d+)\s+R/.exec(trailer)?.[1];
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)?.[1]);
  if (!startxref || !root || !Number.isInteger(size)) {
    throw new Error('appendIncrementalUpdate: no classic trailer with /Root and /Size to chain to');
  }
  const prefix = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  const objOffset = pdf.length + Buffer.byteLength(prefix, 'latin1');
  const obj = `${size} 0 obj\n<< /Title (Amended after signing) /Producer (an editor) >>\nendobj\n`;
  const xrefOffset = objOffset + Buffer.byteLength(obj, 'latin1');
  const xref =
    `xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(objOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} R /Info ${size} 0 R /Prev ${startxref[1]} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(prefix + obj + xref, 'latin1')]);
}

/**
 * Paints a white box over the top of the first page (where the amount would
 * be) in an incremental update: a new content stream added to the page's
 * /Contents. The earlier signature's bytes stay intact; only a difference
 * analysis between the revisions sees that the document changed.
 */
export function amendPageContent(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const startxref = [...text.matchAll(/startxref\s+(\d+)\s+%%EOF/g)].at(-1);
  const trailer = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>\s*startxref/g)].at(-1)?.[1] ?? '';
  const root = /\/Root\s+(\d+\s+\d+)\s+R/.exec(trailer)?.[1];
  const info = /\/Info\s+(\d+\s+\d+)\s+R/.exec(trailer)?.[1];
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)?.[1]);
  const page = [...text.matchAll(/(\d+) 0 obj\s*<<([\s\S]*?)endobj/g)].filter((m) => /\/Type\s*\/Page(?![a-z])/.test(m[2]!)).at(-1);
  const contents = page && /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(page[2]!);
  if (!startxref || !root || !Number.isInteger(size) || !page || !contents) {
    throw new Error('amendPageContent: no classic trailer, page object or page /Contents to change');
  }
  const existing = contents[1]!.startsWith('[') ? contents[1]!.slice(1, -1).trim() : contents[1]!;
  const pageBody = page[2]!.replace(contents[0], `/Contents [ ${existing} ${size} 0 R ]`);
  const paint = 'q 1 1 1 rg 40 690 515 110 re f Q\n';
  const prefix = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  const streamAt = pdf.length + prefix.length;
  const streamObj = `${size} 0 obj\n<< /Length ${paint.length} >>\nstream\n${paint}endstream\nendobj\n`;
  const pageAt = streamAt + streamObj.length;
  const pageObj = `${page[1]} 0 obj\n<<${pageBody}endobj\n`;
  const xrefAt = pageAt + pageObj.length;
  const entry = (at: number) => `${String(at).padStart(10, '0')} 00000 n \n`;
  const xref =
    `xref\n0 1\n0000000000 65535 f \n${page[1]} 1\n${entry(pageAt)}${size} 1\n${entry(streamAt)}` +
    `trailer\n<< /Size ${size + 1} /Root ${root} R${info ? ` /Info ${info} R` : ''} /Prev ${startxref[1]} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(prefix + streamObj + pageObj + xref, 'latin1')]);
}
