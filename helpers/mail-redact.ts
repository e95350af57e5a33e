/**
 * Mail is a secret of a kind (reset tokens, patient links): what reports may
 * show of a message is its subject, sender, recipient and link hosts, and
 * links with every token-like part cut.
 */

const TOKENISH = /^[A-Za-z0-9_-]{16,}$|^[0-9a-f]{16,}$/;

/** A link fit for a report: origin and path, token-like path segments and every query value replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const pathname = u.pathname
      .split('/')
      .map((seg) => (TOKENISH.test(decodeURIComponent(seg)) ? '<token>' : seg))
      .join('/');
    const query = [...u.searchParams.keys()].map((k) => `${k}=<redacted>`).join('&');
    return `${u.origin}${pathname}${query ? `?${query}` : ''}`;
  } catch {
    return '(unparseable link)';
  }
}

/** The hosts a list of links points to, for a report line. */
export function linkHosts(links: string[]): string[] {
  const hosts = new Set<string>();
  for (const l of links) {
    try {
      hosts.add(new URL(l).host);
    } catch {
      hosts.add('(unparseable)');
    }
  }
  return [...hosts];
}

/** Removes every occurrence of the given secrets (tokens) from a text, for error messages built from mail content. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join('<redacted>');
  return out;
}
