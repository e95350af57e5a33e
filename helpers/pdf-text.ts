/**
 * The text a PDF shows, as a reader would copy it: pdf.js decodes embedded
 * font subsets through their ToUnicode maps, compressed streams and kerned
 * runs, which a byte search cannot. Used to tell whether a server-made PDF
 * carries answers the app claims to keep encrypted.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Every page's text, pages separated by a blank line; runs on one line joined without spaces. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  // pdf.js takes ownership of the buffer it is given: pass a copy.
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text);
    }
    return pages.join('\n\n');
  } finally {
    await doc.destroy();
  }
}

/** Which of `needles` the PDF's text contains (case-sensitive, whitespace-normalised). */
export async function pdfContains(pdf: Uint8Array, needles: string[]): Promise<string[]> {
  const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
  const squeezed = text.replace(/ /g, '');
  return needles.filter((n) => text.includes(n.replace(/\s+/g, ' ')) || squeezed.includes(n.replace(/\s+/g, '')));
}
