// `flowproof scan FILE... [--where ...] [--symbols FILE.yaml] [--macros FILE] [--json] [--seed N]`:
// every statement of a paper's math with its role (claim, definition, not checkable), how it was read,
// and the verdicts of its claims (src/verify/scan.ts). Exit 1 when a checked claim is refuted, 2 for
// unreadable input.
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { identifierOf, readDeclarations, type LetSpec, type SymbolSpec } from '../derivation/file.js';
import { toJson } from '../report/json.js';
import { formatScanReport } from '../report/terminal.js';
import { SCAN_SCHEMA, type ScanRecord, type ScanReport } from '../report/types.js';
import { scanText, summarize } from '../verify/scan.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { readTextFile } from './io.js';
import { DEFAULT_SEED, toolVersion } from './verify.js';

/** Papers can be long, but not this long. */
export const MAX_SCAN_BYTES = 8 << 20;

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

function sidecarFor(file: string, explicit: string | undefined): { symbols: SymbolSpec[]; lets: LetSpec[] } {
  const path = explicit ?? (existsSync(`${file}.flowproof.yaml`) ? `${file}.flowproof.yaml` : undefined);
  if (path === undefined) return { symbols: [], lets: [] };
  return readDeclarations(readTextFile(path, 'symbols file', 1 << 20), path);
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
    const where = whereSymbols(a.lists.where ?? []);
    const macroFiles = a.lists.macros ?? [];
    for (const m of macroFiles) readTextFile(m, 'macro file', MAX_SCAN_BYTES);
    const records: ScanRecord[] = [];
    for (const file of a.positional) {
      // readTextFile: a missing file, a folder (once reported as 'binary'), binary content: exit 2.
      const text = readTextFile(file, 'file', MAX_SCAN_BYTES);
      const side = sidecarFor(file, a.values.symbols);
      const result = await scanText(text, file, {
        seed,
        macroFiles,
        symbols: [...side.symbols, ...where],
        lets: side.lets,
      });
      records.push(...result.records);
    }
    const report: ScanReport = {
      schema: SCAN_SCHEMA,
      tool: { name: 'flowproof', version: toolVersion() },
      records,
      summary: summarize(records),
    };
    process.stdout.write(a.booleans.json ? toJson(records) : formatScanReport(report) + '\n');
    return records.some((r) => r.kind === 'display' && r.verdict?.grade === 'refuted') ? 1 : 0;
  },
};
