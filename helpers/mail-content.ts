/**
 * What a rendered mail must not contain, and what it must: placeholder
 * detection, both parts present, and the links of both parts.
 */

/** Markers of a template that was not (fully) rendered. Words match whole, so "nullify" or "Nancy" pass. */
const PLACEHOLDERS: { label: string; pattern: RegExp }[] = [
  { label: '{{', pattern: /\{\{/ },
  { label: '}}', pattern: /\}\}/ },
  { label: '${', pattern: /\$\{/ },
  { label: '{%', pattern: /\{%/ },
  { label: 'undefined', pattern: /\bundefined\b/ },
  { label: 'null', pattern: /\bnull\b/ },
  { label: 'NaN', pattern: /\bNaN\b/ },
  { label: '[object Object]', pattern: /\[object Object\]/ },
  { label: 'Invalid Date', pattern: /\bInvalid Date\b/ },
];

/** HTML reduced to the text a reader sees (tags, comments, style and script removed; entities for braces decoded). */
export function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#123;|&lbrace;/g, '{')
    .replace(/&#125;|&rbrace;/g, '}')
    .replace(/&#36;|&dollar;/g, '$')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

export interface PlaceholderFinding {
  where: 'subject' | 'text' | 'html';
  marker: string;
  /** A short excerpt around the marker (never the whole body). */
  excerpt: string;
}

function excerptAround(s: string, index: number, length: number): string {
  const from = Math.max(0, index - 20);
  const to = Math.min(s.length, index + length + 20);
  return `${from > 0 ? '…' : ''}${s.slice(from, to).replace(/\s+/g, ' ').trim()}${to < s.length ? '…' : ''}`;
}

/** Every unrendered placeholder in the subject, the text part and the visible HTML (attributes too: hrefs like /consent/undefined). */
export function findPlaceholders(mail: { subject: string; text?: string; html?: string }): PlaceholderFinding[] {
  const out: PlaceholderFinding[] = [];
  const scan = (where: PlaceholderFinding['where'], s: string | undefined): void => {
    if (!s) return;
    for (const p of PLACEHOLDERS) {
      const m = p.pattern.exec(s);
      if (m) out.push({ where, marker: p.label, excerpt: excerptAround(s, m.index, m[0].length) });
    }
  };
  scan('subject', mail.subject);
  scan('text', mail.text);
  if (mail.html) {
    scan('html', visibleText(mail.html));
    // Links are attributes, invisible above: a link built from an undefined value is the same bug.
    const hrefs = [...mail.html.matchAll(/\bhref\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1] ?? '').join(' ');
    if (!out.some((f) => f.where === 'html')) scan('html', hrefs);
  }
  return out;
}

/** Missing or empty parts: a mail needs both text/plain and text/html (by its MIME structure when known). */
export function missingParts(mail: { text?: string; html?: string; partTypes?: string[] }): string[] {
  const missing: string[] = [];
  const has = (type: string, content: string | undefined): boolean =>
    (mail.partTypes ? mail.partTypes.includes(type) : true) && !!content?.trim();
  if (!has('text/html', mail.html)) missing.push('text/html');
  if (!has('text/plain', mail.text)) missing.push('text/plain');
  return missing;
}

/**
 * The MIME types of a raw message's body parts: every header block (the
 * message's own, and each part's after a boundary line) that is not a
 * multipart container and not an attachment. Enough for "is there a
 * text/plain part", without a MIME library.
 */
export function mimePartTypes(raw: string): string[] {
  const lines = raw.replace(/\r\n/g, '\n').split('\n');
  const types: string[] = [];
  let i = 0;
  const readHeaders = (): void => {
    const headers: string[] = [];
    for (; i < lines.length && lines[i] !== ''; i++) {
      const line = lines[i] as string;
      if (/^[ \t]/.test(line) && headers.length > 0) headers[headers.length - 1] += ` ${line.trim()}`;
      else headers.push(line);
    }
    const get = (name: string): string | undefined => headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const type = (get('content-type') ?? 'text/plain').split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
    const attachment = /^attachment/i.test(get('content-disposition') ?? '');
    if (!type.startsWith('multipart/') && !attachment) types.push(type);
  };
  readHeaders();
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) => m[1] as string);
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (boundaries.some((b) => line === `--${b}`)) {
      i++;
      readHeaders();
    }
  }
  return types;
}

const decodeAttr = (s: string): string => s.replace(/&amp;/g, '&').replace(/&#38;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/** Every http(s) link of a mail: hrefs of the HTML part and bare URLs of the text part, deduplicated, in order. */
export function extractLinks(mail: { text?: string; html?: string }): string[] {
  const links: string[] = [];
  for (const m of (mail.html ?? '').matchAll(/\bhref\s*=\s*["']([^"']+)["']/gi)) {
    const href = decodeAttr((m[1] ?? '').trim());
    if (/^https?:\/\//i.test(href)) links.push(href);
  }
  for (const m of (mail.text ?? '').matchAll(/https?:\/\/[^\s<>"')\]]+/gi)) links.push(m[0].replace(/[.,;:!?]+$/, ''));
  return [...new Set(links)];
}
