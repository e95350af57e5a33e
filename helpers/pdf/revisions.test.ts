import { describe, expect, it } from 'vitest';
import { analyseUpdate } from './revisions.ts';
import { scanPdf } from './syntax.ts';

/** A signed base revision (catalog 1, pages 2, page 3 with content 4, info 5) and an update after it. */
function analyse(update: string, extraBase = '') {
  const base =
    '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [] >>\nendobj\n4 0 obj\n<< /Length 3 >>\nstream\nq Q\nendstream\nendobj\n' +
    `5 0 obj\n<< /Title (Invoice) /Producer (x) >>\nendobj\n${extraBase}trailer\n<< /Root 1 0 R /Info 5 0 R /Size 6 >>\n%%EOF\n`;
  const file = Buffer.from(base + update, 'latin1');
  return analyseUpdate(scanPdf(file), file, base.length, file.length);
}

describe('analyseUpdate', () => {
  it('a signature-only update is harmless, piece by piece', () => {
    const a = analyse(
      '6 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n' +
        '7 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V 6 0 R /AP << /N 9 0 R >> >>\nendobj\n' +
        '9 0 obj\n<< /Type /XObject /Subtype /Form /Length 0 >>\nstream\n\nendstream\nendobj\n' +
        '8 0 obj\n<< /Type /AcroForm /Fields [7 0 R] /SigFlags 3 >>\nendobj\n' +
        '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm 8 0 R >>\nendobj\n' +
        '3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [7 0 R] >>\nendobj\n' +
        '5 0 obj\n<< /Title (Invoice) /Producer (signer 2.0) >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 5 0 R /Size 10 /Prev 0 >>\n%%EOF\n',
    );
    expect(a.changes).toEqual([]);
    expect(a.harmless).toEqual([
      'signature dictionary 6',
      'new signature field 7 (Signature1)',
      "object 9 of a signature's appearance or DSS",
      'new AcroForm 8 listing signature field(s) only',
      'catalog 1: /AcroForm added',
      'page 3: /Annots gained signature widget(s) 7',
      'document information 5: /Producer updated',
    ]);
  });

  it('names each change a signature does not need', () => {
    const a = analyse(
      '6 0 obj\n<< /Type /Annot /Subtype /FreeText /Contents (EUR 9,999.00) >>\nendobj\n' +
        '3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [6 0 R] /Rotate 90 >>\nendobj\n' +
        '4 0 obj\n<< /Length 5 >>\nstream\nq 1 Q\nendstream\nendobj\n' +
        '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>\nendobj\n' +
        '5 0 obj\n<< /Title (Paid) /Producer (x) >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 5 0 R /Size 7 >>\n%%EOF\n',
    );
    expect(a.changes).toEqual([
      'new object 6 (/Type /Annot /Subtype /FreeText), which is not part of a signature',
      'page object 3 (/Type /Page): /Annots changed, /Rotate added',
      'object 4 (stream, a dictionary) was replaced: its stream data changed',
      'the document catalog (object 1 (/Type /Catalog)): /OpenAction added',
      'the document information (object 5): /Title changed',
    ]);
  });

  it('filling a prepared empty signature field (its /V and a new appearance) is harmless; changing its name is not', () => {
    const field = '10 0 obj\n<< /FT /Sig /Type /Annot /Subtype /Widget /T (Approver) >>\nendobj\n';
    const filled = analyse(
      '11 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n12 0 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\n' +
        '10 0 obj\n<< /FT /Sig /Type /Annot /Subtype /Widget /T (Approver) /V 11 0 R /AP << /N 12 0 R >> >>\nendobj\n',
      field,
    );
    expect(filled.changes).toEqual([]);
    expect(filled.harmless).toEqual(['signature dictionary 11', "object 12 of a signature's appearance or DSS", 'empty signature field 10 filled']);
    const renamed = analyse('10 0 obj\n<< /FT /Sig /Type /Annot /Subtype /Widget /T (Someone) >>\nendobj\n', field);
    expect(renamed.changes).toEqual(['object 10 (/Type /Annot /Subtype /Widget /FT /Sig /T (Someone)): /T changed']);
  });

  it('a new /Root in the trailer is a change', () => {
    const a = analyse('6 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 6 0 R /Size 7 >>\n%%EOF\n');
    expect(a.changes).toContain("the trailer's /Root changed from 1 0 R to 6 0 R");
  });
});
