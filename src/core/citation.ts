// Where a claim comes from: a plain note ("seed file: section") or a citation a reader can resolve.

export interface Citation {
  title: string;
  authors?: string[];
  year?: number;
  /** An arXiv identifier, e.g. 2011.13456 (new style) or math/0601001 (old style), optionally with a version. */
  arxiv?: string;
  url?: string;
  /** Where in the work: a section, equation, theorem or slide. */
  section?: string;
}

export type Source = string | Citation;

/** A place in a derivation file or a scanned paper (1-based line and column). */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;

/** The link of a citation: its URL, else its arXiv abstract page; none for a plain note. */
export function sourceLink(s: Source): string | undefined {
  if (typeof s === 'string') return undefined;
  return s.url ?? (s.arxiv ? `https://arxiv.org/abs/${s.arxiv}` : undefined);
}
