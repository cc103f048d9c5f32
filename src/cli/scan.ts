// `flowproof scan FILE... [--where ...] [--symbols FILE.yaml] [--macros FILE] [--json] [--seed N]`:
// every statement of a paper's math with its role (claim, definition, not checkable), how it was read,
// and the verdicts of its claims (src/verify/scan.ts). Exit 1 when a checked claim is refuted, 2 for
// unreadable input.
import { InputError } from '../core/errors.js';
import { identifierOf, type SymbolSpec } from '../derivation/file.js';
import { toJson } from '../report/json.js';
import { formatScanReport } from '../report/terminal.js';
import { DEFAULT_SEED, scanFiles } from '../verify/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { EXIT } from './exit.js';

const HELP = `flowproof scan FILE... [--where 'LATEX: DOMAIN; ...'] [--symbols FILE.yaml] [--macros FILE]
                    [--json] [--seed N]

Reads a paper as its author wrote it (.tex with its \\newcommand macros and \\input macro files,
Markdown with MathJax macros, HTML with d-math) and reports every statement of its math: display and
inline apart; whether it parses; whether it is a definition (it binds a symbol for the rest of the
file: \\alpha_t = 1 - \\beta_t, x_t := ..., where ...), a claim (each '=' pair is checked by the identity
engine) or not checkable (with the reason). Symbols take their domains from the field's notation
(\\bar\\alpha_t in (0,1), \\sigma_t > 0, x_0 real, ...; every verdict lists the assumptions it used),
overridden by --where (e.g. --where '\\bar\\alpha_t: (0,1); x_0: real'), a sidecar YAML with 'symbols'
and 'let' as in a derivation file (--symbols, or FILE.flowproof.yaml next to FILE), or a comment in
the source: '% flowproof: \\lambda: > 0' (.tex) or '<!-- flowproof: \\lambda: > 0 -->' (Markdown).
--macros FILE   read macro definitions from FILE first (repeatable)
--json          a JSON array, one record per statement
Exit 0 unless a checked claim is refuted (1); 2 for unreadable input.`;

/** `--where` clauses `LATEX: DOMAIN`, separated by ';' or newlines. */
export function whereSymbols(clauses: string[]): SymbolSpec[] {
  const out: SymbolSpec[] = [];
  for (const clause of clauses.flatMap((c) => c.split(/;|\n/))) {
    const text = clause.trim();
    if (text === '') continue;
    const colon = text.lastIndexOf(':');
    if (colon <= 0)
      throw new InputError("scan: --where needs 'LATEX: DOMAIN' clauses", { file: '<--where>' }, text);
    const latex = text.slice(0, colon).trim();
    out.push({
      name: identifierOf(latex),
      latex,
      domain: text.slice(colon + 1).trim(),
      position: { file: '<--where>', line: 1, column: 1 },
    });
  }
  return out;
}

export const scanCommand: Command = {
  summary: 'list the display equations of a paper, parse them, check the checkable ones',
  async run(args) {
    const a = parseArgs('scan', args, {
      values: { where: 'string', symbols: 'string', seed: 'number', macros: 'string' },
      booleans: ['json', 'help'],
      repeatable: ['where', 'macros'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length === 0) throw new InputError('scan: give at least one file', {}, '');
    const seed = a.values.seed ?? DEFAULT_SEED;
    // The seed feeds deriveSeed and the RNG, which need a non-negative integer (1.5 was accepted).
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new InputError('scan: --seed must be a non-negative integer', {}, String(seed));
    const report = await scanFiles(a.positional, {
      seed,
      macroFiles: a.lists.macros ?? [],
      symbols: whereSymbols(a.lists.where ?? []),
      symbolsFile: a.values.symbols,
    });
    process.stdout.write(a.booleans.json ? toJson(report.records) : formatScanReport(report) + '\n');
    const refuted = report.records.some((r) => r.kind === 'display' && r.verdict?.grade === 'refuted');
    return refuted ? EXIT.rejected : EXIT.passed;
  },
};
