import { describe, expect, it } from 'vitest';
import { extractLinks, findPlaceholders, mimePartTypes, missingParts, visibleText } from './mail-content.ts';

describe('findPlaceholders', () => {
  it('passes a fully rendered mail, also words that merely contain the markers', () => {
    expect(findPlaceholders({ subject: 'Welcome, Nancy', text: 'Nullify nothing. Undefinedness is fine.', html: '<p>Hello Nancy</p>' })).toEqual([]);
  });

  it.each([
    ['{{', 'Welcome, {{name}}'],
    ['${', 'Welcome, ${user.name}'],
    ['undefined', 'Hello undefined,'],
    ['null', 'Practice: null'],
    ['NaN', 'Valid for NaN days'],
    ['[object Object]', 'Dear [object Object]'],
  ])('finds %s', (marker, text) => {
    const found = findPlaceholders({ subject: 'ok', text });
    expect(found.map((f) => f.marker)).toContain(marker);
    expect(found[0]?.where).toBe('text');
  });

  it('looks at the subject, the visible HTML and hrefs, with a short excerpt only', () => {
    const body = `<p>${'x'.repeat(500)} {{token}} ${'y'.repeat(500)}</p>`;
    const found = findPlaceholders({ subject: 'Hi {{name}}', html: body });
    expect(found.map((f) => f.where)).toEqual(['subject', 'subject', 'html', 'html']);
    expect(found[2]?.excerpt.length).toBeLessThan(60);
    expect(findPlaceholders({ subject: 'ok', html: '<a href="https://app.example.com/consent/undefined">Open</a>' })[0]).toMatchObject({ where: 'html', marker: 'undefined' });
  });

  it('decodes brace entities, which a template engine may have escaped', () => {
    expect(visibleText('<p>&#123;&#123;name&#125;&#125;</p>')).toContain('{{name}}');
  });
});

describe('missingParts', () => {
  it('needs both parts, non-empty', () => {
    expect(missingParts({ html: '<p>x</p>', text: 'x' })).toEqual([]);
    expect(missingParts({ html: '<p>x</p>' })).toEqual(['text/plain']);
    expect(missingParts({ html: ' ', text: 'x' })).toEqual(['text/html']);
  });

  it('trusts the MIME structure over a text a catcher derived from the HTML', () => {
    expect(missingParts({ html: '<p>x</p>', text: 'x', partTypes: ['text/html'] })).toEqual(['text/plain']);
    expect(missingParts({ html: '<p>x</p>', text: 'x', partTypes: ['text/plain', 'text/html'] })).toEqual([]);
  });
});

describe('mimePartTypes', () => {
  it('lists the leaf parts of a multipart message, not its attachments', () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary="outer"',
      'Subject: x',
      '',
      '--outer',
      'Content-Type: multipart/alternative;',
      ' boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'hello',
      '--inner',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>hello</p>',
      '--inner--',
      '--outer',
      'Content-Type: application/pdf',
      'Content-Disposition: attachment; filename="a.pdf"',
      '',
      'JVBERi0=',
      '--outer--',
      '',
    ].join('\r\n');
    expect(mimePartTypes(raw)).toEqual(['text/plain', 'text/html']);
  });

  it('reads a single-part message', () => {
    expect(mimePartTypes('Content-Type: text/html; charset=utf-8\r\nSubject: x\r\n\r\n<p>x</p>')).toEqual(['text/html']);
    expect(mimePartTypes('Subject: x\n\nplain')).toEqual(['text/plain']);
  });
});

describe('extractLinks', () => {
  it('takes hrefs and bare text URLs, decoded, deduplicated, without trailing punctuation', () => {
    const links = extractLinks({
      html: '<a href="https://app.example.com/reset-password?token=abc&amp;x=1">Reset</a> <a href="mailto:a@b.c">m</a> <a href="https://app.example.com/login">in</a>',
      text: 'Reset: https://app.example.com/reset-password?token=abc&x=1\nSee https://app.example.com/login.',
    });
    expect(links).toEqual(['https://app.example.com/reset-password?token=abc&x=1', 'https://app.example.com/login']);
  });
});
