// Scanning papers as files: each file read (with its sidecar declarations, FILE.flowproof.yaml, when
// there is one), scanned (scan.ts), and the records of all of them assembled into the versioned report.
// The package entry's scanFile.
import { existsSync } from 'node:fs';
import { readDeclarations, type LetSpec, type SymbolSpec } from '../derivation/file.js';
import { SCAN_SCHEMA, type ScanRecord, type ScanReport } from '../report/types.js';
import { DEFAULT_SEED, toolVersion } from './run.js';
import { scanText, summarize } from './scan.js';
import { readTextFile } from './text-file.js';

/** Papers can be long, but not this long. */
export const MAX_SCAN_BYTES = 8 << 20;

export interface ScanFileOptions {
  /** Base seed of the checks (default DEFAULT_SEED). */
  seed?: number;
  /** Files of macro definitions read before each paper. */
  macroFiles?: string[];
  /** Declarations that override the paper's and its sidecar's (e.g. from --where). */
  symbols?: SymbolSpec[];
  /** A declarations file (YAML with `symbols` and `let`) instead of each paper's FILE.flowproof.yaml. */
  symbolsFile?: string;
  timeBudgetMs?: number;
}

/** The declarations of a sidecar: `explicit`, else FILE.flowproof.yaml if it exists, else none. */
function sidecarFor(file: string, explicit: string | undefined): { symbols: SymbolSpec[]; lets: LetSpec[] } {
  const path = explicit ?? (existsSync(`${file}.flowproof.yaml`) ? `${file}.flowproof.yaml` : undefined);
  if (path === undefined) return { symbols: [], lets: [] };
  return readDeclarations(readTextFile(path, 'symbols file', 1 << 20), path);
}

/** Every statement of the papers' math with its role, how it was read, and its claims' verdicts. */
export async function scanFiles(files: string[], options: ScanFileOptions = {}): Promise<ScanReport> {
  const macroFiles = options.macroFiles ?? [];
  for (const m of macroFiles) readTextFile(m, 'macro file', MAX_SCAN_BYTES);
  const records: ScanRecord[] = [];
  for (const file of files) {
    // readTextFile: a missing file, a folder (once reported as 'binary'), binary content: exit 2.
    const text = readTextFile(file, 'file', MAX_SCAN_BYTES);
    const side = sidecarFor(file, options.symbolsFile);
    const result = await scanText(text, file, {
      seed: options.seed ?? DEFAULT_SEED,
      timeBudgetMs: options.timeBudgetMs,
      macroFiles,
      symbols: [...side.symbols, ...(options.symbols ?? [])],
      lets: side.lets,
    });
    records.push(...result.records);
  }
  return {
    schema: SCAN_SCHEMA,
    tool: { name: 'flowproof', version: toolVersion() },
    records,
    summary: summarize(records),
  };
}

/** Scans one paper. */
export async function scanFile(file: string, options: ScanFileOptions = {}): Promise<ScanReport> {
  return scanFiles([file], options);
}
