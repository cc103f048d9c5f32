// `flowproof scan FILE... [--where 'LATEX: DOMAIN; ...'] [--symbols FILE.yaml] [--json] [--seed N]`:
// list every display equation of a paper (Markdown, text or .tex) with its line, whether it parses,
// how it was read, and whether its chained equalities can be checked with the declared symbols;
// checkable chains are checked. Exit 1 when a checked chain is refuted, 2 for unreadable input.
import { existsSync } from 'node:fs';
import { FlowproofError, InputError } from '../core/errors.js';
import type { Verdict } from '../core/verdict.js';
import { extractDisplayMath, type DisplayMath } from '../derivation/extract.js';
import { chainSteps, readDeclarations, type LetSpec, type SymbolSpec } from '../derivation/file.js';
import { identifierOf } from '../derivation/file.js';
import { NotCheckable } from '../derivation/lower.js';
import { parseDisplay } from '../derivation/parser.js';
import { declare, lowerStep, type Declarations, type LoweredStep } from '../derivation/scope.js';
import { show } from '../derivation/show.js';
import { parseDomain } from '../identity/index.js';
import { toJson } from '../report/json.js';
import { formatScanReport } from '../report/terminal.js';
import { SCAN_SCHEMA, type ScanRecord, type ScanReport, type StepResult } from '../report/types.js';
import { toPlain } from '../symbolic/expr.js';
import { checkLowered, combine, deriveSeed, type CheckSettings } from './claims.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { readTextFile } from './io.js';
import { DEFAULT_SEED, toolVersion } from './verify.js';

/** Papers can be long, but not this long. */
export const MAX_SCAN_BYTES = 8 << 20;

const HELP = `flowproof scan FILE... [--where 'LATEX: DOMAIN; ...'] [--symbols FILE.yaml] [--json] [--seed N]

Lists every display equation ($$..$$, \\[..\\], equation/align environments) of Markdown, text or .tex
files: its line, whether it parses, how it was read, and whether each chained equality can be checked.
A chain is checkable when every symbol in it is declared, by --where (e.g. --where '\\bar\\alpha_t: (0,1);
x_0: real') or by a sidecar YAML with 'symbols' and 'let' as in a derivation file (--symbols, or
FILE.flowproof.yaml next to FILE). Checkable chains are checked by the identity engine.
--json prints a JSON array, one record per distinct equation.
Exit 0 unless a checked chain is refuted (1); 2 for unreadable input.`;

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

interface Analysis {
  record: ScanRecord;
  lowered: LoweredStep[];
}

/** Parse one display equation and decide whether it is checkable (no checking yet). */
export function analyze(d: DisplayMath, decl: Declarations): Analysis {
  const record: ScanRecord = {
    file: d.origin.file,
    line: d.origin.line,
    column: d.origin.column,
    latex: d.latex,
    parses: false,
    checkable: false,
  };
  let math;
  try {
    math = parseDisplay(d.latex, { origin: d.origin });
  } catch (err) {
    if (!(err instanceof FlowproofError)) throw err;
    return { record: { ...record, reason: err.message }, lowered: [] };
  }
  record.parses = true;
  record.internal = math.statements.map(show).join(' ;; ');
  const lowered: LoweredStep[] = [];
  try {
    for (const st of math.statements) {
      if (st.k === 'quantifier')
        throw new InputError(`a quantified statement (\\${st.q}) is not an equation`);
      for (const step of chainSteps(st, math)) lowered.push(lowerStep(step, decl.scope));
    }
  } catch (err) {
    if (err instanceof NotCheckable)
      return { record: { ...record, reason: err.toInputError().message }, lowered: [] };
    if (!(err instanceof FlowproofError)) throw err;
    return { record: { ...record, reason: err.message }, lowered: [] };
  }
  const plain = lowered.map((l) => `${toPlain(l.lhs)} = ${toPlain(l.rhs)}`).join(' ;; ');
  return { record: { ...record, checkable: true, internal: plain }, lowered };
}

async function check(a: Analysis, decl: Declarations, settings: CheckSettings): Promise<ScanRecord> {
  const steps: StepResult[] = [];
  const label = `${a.record.file}:${a.record.line}`;
  for (const [i, l] of a.lowered.entries())
    steps.push(...(await checkLowered(l, decl.domains, `${label}#${i + 1}`, steps.length + 1, settings)));
  const verdict: Verdict = combine(steps.filter((s) => s.kind === 'equation').map((s) => s.verdict));
  return { ...a.record, verdict, steps };
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
      values: { where: 'string', symbols: 'string', seed: 'number' },
      booleans: ['json', 'help'],
      repeatable: ['where'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length === 0) throw new InputError('scan: give at least one file', {}, '');
    const seed = (a.values.seed as number | undefined) ?? DEFAULT_SEED;
    // The seed feeds deriveSeed and the RNG, which need a non-negative integer (1.5 was accepted).
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new InputError('scan: --seed must be a non-negative integer', {}, String(seed));
    const where = whereSymbols(a.lists.where ?? []);
    const records: ScanRecord[] = [];
    for (const file of a.positional) {
      // readTextFile: a missing file, a folder (once reported as 'binary'), binary content: exit 2.
      const text = readTextFile(file, 'file', MAX_SCAN_BYTES);
      const side = sidecarFor(file, a.values.symbols as string | undefined);
      const decl = declare([...side.symbols, ...where], side.lets, parseDomain);
      const seen = new Map<string, ScanRecord>();
      for (const d of extractDisplayMath(text, file)) {
        const key = d.latex.trim();
        const earlier = seen.get(key);
        if (earlier) {
          (earlier.alsoAt ??= []).push(d.origin.line);
          continue;
        }
        const analysis = analyze(d, decl);
        const settings: CheckSettings = { seed: deriveSeed(seed, file), monteCarlo: false, thorough: false };
        const record = analysis.record.checkable ? await check(analysis, decl, settings) : analysis.record;
        seen.set(key, record);
        records.push(record);
      }
    }
    const report: ScanReport = {
      schema: SCAN_SCHEMA,
      tool: { name: 'flowproof', version: toolVersion() },
      records,
      summary: {
        equations: records.length,
        parsed: records.filter((r) => r.parses).length,
        checkable: records.filter((r) => r.checkable).length,
        checked: records.filter((r) => r.verdict).length,
      },
    };
    process.stdout.write(a.booleans.json ? toJson(records) : formatScanReport(report) + '\n');
    return records.some((r) => r.verdict?.grade === 'refuted') ? 1 : 0;
  },
};
