import { describe, expect, it } from 'vitest';
import { canonical, PdfReader, scanPdf } from './syntax.ts';

const pdf = (s: string) => Buffer.from(s, 'latin1');

describe('scanPdf', () => {
  it('finds objects, trailers and revision ends in one pass, skipping stream data by its /Length', () => {
    const data = 'x 9 0 obj << /ByteRange [0 1 2 3] /Contents <00> >> endobj trailer';
    const file = pdf(
      `%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n` +
        `trailer\n<< /Root 1 0 R /Size 3 >>\n%%EOF\n1 0 obj\n<< /Type /Catalog /DSS 3 0 R >>\nendobj\n%%EOF`,
    );
    const layout = scanPdf(file);
    expect(layout.objects.map((o) => [o.num, o.stream ? 'stream' : canonical(o.value)])).toEqual([
      [1, '<</Type /Catalog>>'],
      [2, 'stream'],
      [1, '<</DSS 3 0 R /Type /Catalog>>'],
    ]);
    expect(layout.signatureDicts).toEqual([]); // the one inside the stream is data
    expect(layout.trailers).toHaveLength(1);
    expect(layout.eofs).toEqual([file.indexOf('%%EOF') + 5, file.length]);
  });

  it('records an object that does not parse, and whether it names /ByteRange', () => {
    const layout = scanPdf(pdf('1 0 obj\n<< /ByteRange [0 1 2 3] /Contents <0g> >>\nendobj\n2 0 obj\n<< /A (unterminated\nendobj\n'));
    expect(layout.malformed.map((m) => [m.num, m.signatureLike, m.error])).toEqual([
      [1, true, expect.stringMatching(/invalid character in hex string/)],
      [2, false, expect.stringMatching(/unterminated string/)],
    ]);
  });
});

describe('PdfReader', () => {
  it('reads references, escaped and nested strings, hex strings and names with #xx', () => {
    const v = new PdfReader(pdf('<< /R 12 0 R /S (a\\(b\\) (c) \\101) /H <41 42> /N /A#42 /Num -1.5 >>'), 0).parse();
    expect(canonical(v)).toBe('<</H <4142> /N /AB /Num -1.5 /R 12 0 R /S <61286229202863292041>>>');
  });
});
