// The `sources` of a derivation's front matter: each a plain note ("seed file: section") or a citation
// mapping { title, authors, year, arxiv, url, section } that the report links. A link must be http(s) or
// an arXiv identifier: a derivation file is data, and nothing in it may become a script URL in a report.
import { ARXIV_ID, type Citation, type Source } from '../core/citation.js';
import { InputError, type SourcePosition } from '../core/errors.js';

const FIELDS = ['title', 'authors', 'year', 'arxiv', 'url', 'section'];

export function readSources(raw: unknown, where: SourcePosition): Source[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new InputError(
      'sources must be a non-empty list of citations ({ title, authors, year, arxiv or url, section }) or "document: section" strings',
      where,
    );
  return raw.map((item: unknown, i) => {
    const fail = (why: string, quote?: string) => new InputError(`sources[${i + 1}]: ${why}`, where, quote);
    if (typeof item === 'string') {
      if (item.trim() === '') throw fail('an empty source');
      return item;
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw fail('a source is a string or a mapping { title, authors, year, arxiv, url, section }');
    const o = item as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!FIELDS.includes(k)) throw fail(`unknown field '${k}' (known: ${FIELDS.join(', ')})`, k);
    const text = (k: string): string | undefined => {
      const v = o[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.trim() === '')
        throw fail(`'${k}' must be a non-empty string`, String(v));
      return v.trim();
    };
    const title = text('title');
    if (title === undefined) throw fail('a citation needs a title');
    const c: Citation = { title };
    const authors = o.authors;
    if (authors !== undefined) {
      const list = typeof authors === 'string' ? [authors] : authors;
      if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === 'string' && a.trim()))
        throw fail("'authors' must be a name or a list of names", String(authors));
      c.authors = list.map((a: string) => a.trim());
    }
    if (o.year !== undefined) {
      if (!Number.isInteger(o.year) || (o.year as number) < 1000 || (o.year as number) > 2999)
        throw fail("'year' must be a four-digit year", String(o.year));
      c.year = o.year as number;
    }
    const arxiv = text('arxiv')?.replace(/^arxiv:/i, '');
    if (arxiv !== undefined) {
      if (!ARXIV_ID.test(arxiv)) throw fail("'arxiv' must be an arXiv identifier such as 2011.13456", arxiv);
      c.arxiv = arxiv;
    }
    const url = text('url');
    if (url !== undefined) {
      if (!/^https?:\/\/[^\s"'<>]+$/.test(url)) throw fail("'url' must be an http(s) address", url);
      c.url = url;
    }
    const section = text('section');
    if (section !== undefined) c.section = section;
    return c;
  });
}
