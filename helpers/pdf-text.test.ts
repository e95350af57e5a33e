import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfContains, pdfText } from './pdf-text.ts';

async function pdfWith(lines: string[], compress = true): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([400, 400]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  lines.forEach((line, i) => page.drawText(line, { x: 20, y: 360 - i * 20, size: 11, font }));
  return doc.save({ useObjectStreams: compress });
}

describe('pdfText', () => {
  it('reads the text of compressed, hex-encoded content streams', async () => {
    const pdf = await pdfWith(['Consent canary-7f3k', 'Allergies: none']);
    expect(Buffer.from(pdf).toString('latin1')).not.toContain('canary-7f3k'); // a byte search would miss it
    expect(await pdfText(pdf)).toContain('canary-7f3k');
  });

  it('names only the needles that are there, across line breaks of the finder', async () => {
    const pdf = await pdfWith(['Patient: Erika Canary-ab12', 'Treatment: BOTOX']);
    expect(await pdfContains(pdf, ['Erika Canary-ab12', 'canary-zz99', 'BOTOX'])).toEqual(['Erika Canary-ab12', 'BOTOX']);
  });

  it('refuses what is not a PDF', async () => {
    await expect(pdfText(new TextEncoder().encode('<html>not a pdf</html>'))).rejects.toThrow();
  });
});
