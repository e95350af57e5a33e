/**
 * Where consent PDFs live: a folder per bucket under the sandbox's temp
 * folder, keyed like the real consent-pdfs bucket (<practiceId>/<consentId>.pdf).
 * consent_forms.pdf_storage_path holds the key with its bucket.
 */
import path from 'node:path';

export const CONSENT_PDF_BUCKET = 'consent-pdfs';

export function storageDirOf(sandboxDir: string): string {
  return path.join(sandboxDir, 'storage');
}

export function consentPdfKey(practiceId: string, consentId: string): string {
  return `${CONSENT_PDF_BUCKET}/${practiceId}/${consentId}.pdf`;
}

/** The file of a stored key; refuses keys that would leave the storage folder. */
export function storageFile(storageDir: string, key: string): string {
  const root = path.resolve(storageDir);
  const file = path.resolve(root, key);
  if (!file.startsWith(`${root}${path.sep}`)) throw new Error(`storage key outside the storage folder: ${key}`);
  return file;
}
