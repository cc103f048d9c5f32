// Reading a whole paper (the "bind" stage): every formula in document order, each statement either a
// definition (it binds a symbol for the rest of the file: `\alpha_t = 1 - \beta_t`, `x_t := ...`,
// `\tilde\mu_t(x_t, x_0) = ...`), a claim (its `=` pairs are steps to check), or not checkable (with the
// reason). Symbols get their domains from the author (front matter, sidecar, `--where`, a
// `% flowproof:` comment), else from the field's notation (dictionary.ts), else "real"; every domain
// used is recorded as an assumption with where it came from.
import { InputError } from '../core/errors.js';
import type { Assumption } from '../core/verdict.js';
import type { SymbolDomain } from '../symbolic/domain.js';
import { childrenOf, type Tex } from './ast.js';
import { familyOf, INDEX_LETTERS, notationOf, looksLikeFunction } from './dictionary.js';
import { readDocument, type DocumentProblem, type MathPiece, type ReadOptions } from './extract.js';
import { CONVENTION_SOURCE, conventionFor } from './conventions.js';
import { Macros } from './macros.js';
import { identifierOf, type LetSpec, type SourceRef, type Step, type SymbolSpec } from './file.js';
import {
  bindingAtOtherIndex,
  lowerBinding,
  lowerMember,
  NotCheckable,
  type LetDecl,
  type Scope,
  type SymbolDecl,
} from './lower.js';
import { freeSymbols, type Expr } from '../symbolic/expr.js';
import { canonical, readDisplay, sourceOf, type ParsedMath, type Statement } from './parser.js';
import { declare, functionTest, lowerStep, type DomainParser, type LoweredStep } from './scope.js';
import { show, spelling } from './show.js';
import { locate } from './tokens.js';

export type StatementRole = 'claim' | 'definition' | 'not-checkable';

/** One adjacent pair of a claim's chain. */
/** A step lowered and ready for the identity engine, or the reason it cannot be lowered. */
export type PaperStep = (
  | { step: Step; lowered: LoweredStep; reason?: undefined }
  | { step: Step; lowered?: undefined; reason: string }
) & {
  /** An update rule the step relies on (`\hat Z_{t+\epsilon} = \hat Z_t + \epsilon v_t`), with where it was stated. */
  updateRule?: { spelling: string; position: SourceRef };
};

export interface PaperStatement {
  piece: MathPiece;
  /** The statement's own LaTeX and position (not the block's first line). */
  latex: string;
  position: SourceRef;
  parses: boolean;
  role: StatementRole;
  reason?: string;
  /** How it was read (fully parenthesized), when it parses. */
  internal?: string;
  /** The spellings this statement binds. */
  defines: string[];
  steps: PaperStep[];
  /** Internal names of symbols (not states or noise) that no definition before uses. */
  introduces: string[];
  /** The spellings bound once this statement is read (what its claims may rely on). */
  bound: ReadonlySet<string>;
  /**
   * A single equation relating only symbols the paper never binds (`\alpha_t^2 + \sigma_t^2 = 1`): if
   * it does not hold identically, it is a constraint the paper imposes, not an error.
   */
  standalone?: boolean;
  /** Prose introduces it (`where`, `with`, `let`, `assume`): it may set a case, not derive a result. */
  introduced?: boolean;
}

export interface ReadPaper {
  statements: PaperStatement[];
  problems: DocumentProblem[];
  /** Every symbol's domain, by internal name (what the identity engine samples). */
  domains: Record<string, SymbolDomain>;
  assumptions: Map<string, Assumption>;
  /** Internal names of standard normal noise variables (`\epsilon`, or `z \sim \mathcal{N}(0, I)`). */
  noise: Set<string>;
  /** Internal name -> canonical spelling, for every symbol the paper used. */
  spellings: Map<string, string>;
  /**
   * Re-expressions: `x_0 = \frac{1}{\sqrt{\bar\alpha_t}}(x_t - ...)` of a symbol already in use. Not a
   * definition (x_0 stays the variable it was), but a derivation may "plug it in".
   */
  relations: Relation[];
  /** Values of functions the paper never defines (`\Phi(-x)`), by internal name -> the function's spelling. */
  opaque: Map<string, string>;
  /** Canonical spellings the paper binds (definitions in force at its end). */
  bound: Set<string>;
  /** Of those, the ones bound by a recurrence (`\bar\alpha_t = \alpha_t \bar\alpha_{t-1}`). */
  recurrences: Set<string>;
}

export interface Relation {
  /** The internal name of the symbol, and what the paper equates it to (lowered where it was written). */
  symbol: string;
  value: Expr;
  latex: string;
  position: SourceRef;
}

export interface PaperOptions extends ReadOptions {
  /** The author's declarations (sidecar YAML, `--where`), besides `% flowproof:` comments. */
  symbols?: SymbolSpec[];
  lets?: LetSpec[];
  parseDomain: DomainParser;
  /**
   * The text is one formula (`flowproof check`), not a document; every equation in it is a claim
   * (asked about, not defined).
   */
  formula?: boolean;
}

/** Prose right before a formula that introduces a definition. */
const DEFINING_PROSE =
  /\b(where|let|define[sd]?|denote[sd]?|we set|set|with|given by|defined (as|by)|is defined|we write|writing|notation|we use|by definition)\s*[:,]?\s*$/i;
/** Prose right before a formula that introduces a definition or an assumption, not a result. */
const INTRODUCING_PROSE =
  /\b(where|let|define[sd]?|denote[sd]?|we set|set|with|given by|defined (as|by)|is defined|we write|writing|notation|assume[sd]?|assuming|such that|satisf(y|ies|ying)|subject to|s\.t\.|constraint|condition|require[sd]?|suppose|whenever|if)\s*[:,]?\s*$/i;
/** Times and indices: an equation setting one is a case of a formula, not a definition. */
const INDEX_LIKE = /^(t|s|r|u|\\tau|i|j|k|l|m|n|T|N|K|M|L)( ')?$/;
/** Inline `% flowproof: \sigma_t > 0; x real` (TeX) or `<!-- flowproof: ... -->` (Markdown). */
const DIRECTIVE = /(?:%|<!--)\s*flowproof:\s*(.*?)\s*(?:-->)?\s*$/gm;

export function readPaper(text: string, file: string, options: PaperOptions): ReadPaper {
  const doc = options.formula ? oneFormula(text, file) : readDocument(text, file, options);
  const directives = directiveSymbols(text, file);
  const { scope, domains } = declare(
    [...directives, ...(options.symbols ?? [])],
    options.lets ?? [],
    options.parseDomain,
  );
  const declared = new Set(scope.symbols.keys());
  const assumptions = new Map<string, Assumption>();
  const spellings = new Map<string, string>();
  for (const spec of [...directives, ...(options.symbols ?? [])])
    assumptions.set(spec.name, {
      symbol: spec.latex,
      domain: spec.domain,
      source: 'declared',
      note: `${spec.position.file}:${spec.position.line}`,
    });
  for (const [c, d] of scope.symbols) spellings.set(d.name, c);
  const noise = new Set<string>();
  /** Families a `\sim \mathcal{N}(0, I)` statement made noise: every member is (`z_{t-1}`, `z_t`, `z`). */
  const noiseFamilies = new Set<string>();
  /** Roles of automatically declared symbols (states are re-expressed, not defined, after first use). */
  const roles = new Map<string, string>();
  const names = new Set([...scope.symbols.values()].map((d) => d.name));

  /** Declare a spelling the paper uses without declaring it: dictionary, else real (variables only). */
  scope.auto = (canon, as) => {
    const existing = scope.symbols.get(canon);
    if (existing) return existing.auto && scope.lets.has(canon) ? undefined : existing;
    if (!symbolLike(canon)) return undefined;
    const entry = notationOf(canon);
    const role = noiseFamilies.has(familyOf(canon).family) ? 'noise' : (entry?.role ?? 'variable');
    if (as === 'function' && role !== 'function' && !looksLikeFunction(canon, 't')) return undefined;
    let name = identifierOf(canon);
    while (names.has(name)) name += '_';
    names.add(name);
    const domainText = entry?.domain ?? 'real';
    const domain = options.parseDomain(domainText);
    const decl: SymbolDecl =
      as === 'function' ? { name, domain, of: `${name}_arg`, auto: true } : { name, domain, auto: true };
    scope.symbols.set(canon, decl);
    spellings.set(name, canon);
    roles.set(canon, role);
    if (role === 'noise') noise.add(name);
    if (as === 'function') domains[`${name}(${decl.of})`] = domain;
    else domains[name] = domain;
    assumptions.set(name, {
      symbol: spelling(canon),
      domain: domainText,
      source: entry ? 'dictionary' : 'default',
      note: entry?.source ?? 'not in the notation dictionary: any real number',
    });
    return decl;
  };

  const statements: PaperStatement[] = [];
  const conventionsUsed = new Set<string>();
  const recurrences = new Set<string>();
  /**
   * Bindings of a family member through another member (`x_{t+1} = x_t + h v_t(x_t)`): an update rule,
   * one of the several a paper may state and contrast for the same variable, not its definition.
   */
  const updateRules = new Map<string, SourceRef>();
  /** Symbols some definition so far used. */
  const established = new Set<string>();
  /** Their shapes at any index letter (`\alpha _ #`): `\alpha_i` is established by `\alpha_t`. */
  const establishedShapes = new Set<string>();
  const establish = (n: string) => {
    established.add(n);
    const shape = indexShape(spellings.get(n));
    if (shape) establishedShapes.add(shape);
  };
  const relations: Relation[] = [];
  /** The last member of the display before (what a display starting with `=` goes on from). */
  let tail: { tex: Tex; math: ParsedMath } | undefined;
  /** The tail a display continues, while its statements are read. */
  let continues: { tex: Tex; math: ParsedMath } | undefined;
  for (const piece of doc.pieces) {
    const math = readDisplay(piece.latex, {
      origin: piece.origin,
      macros: doc.macros,
      seq: piece.seq,
      isFunction: functionTest(scope),
    });
    for (const name of math.conventions) {
      if (conventionsUsed.has(name)) continue;
      conventionsUsed.add(name);
      const meaning =
        conventionFor(name, () => false)
          ?.body.map((t) => t.text)
          .join('') ?? '';
      doc.problems.push({
        kind: 'file',
        message: `${name} is defined neither in the file nor in its \\input files: read as ${meaning}, as in ${CONVENTION_SOURCE} (--macros FILE gives the paper's own definition)`,
        ...piece.origin,
        quote: name,
      });
    }
    if (math.items.length === 0) continue; // a block of macro definitions only
    if (piece.kind === 'display') {
      continues = tail && goesOn(piece) ? tail : undefined;
      tail = tailOf(math);
    }
    for (const item of math.items) {
      const st = statementOf(piece, math, item);
      statements.push(st);
      if (!item.tex) {
        continues = undefined;
        continue;
      }
      classify(st, item, math, piece);
      continues = undefined;
      st.bound = new Set(scope.lets.keys());
      // Symbols no definition so far uses (a symbol seen only inside something not checkable, such
      // as a density, is not established by it); the checker also counts those its checks confirmed.
      for (const step of st.steps) {
        if (!step.lowered) continue;
        for (const n of freeSymbols(step.lowered.rhs, freeSymbols(step.lowered.lhs))) {
          const c = spellings.get(n);
          const role = c === undefined ? undefined : roles.get(c);
          if (
            !established.has(n) &&
            !establishedShapes.has(indexShape(c) ?? '') &&
            role !== undefined &&
            role !== 'state' &&
            role !== 'noise' &&
            !st.introduces.includes(n)
          )
            st.introduces.push(n);
        }
      }
    }
  }
  settleAlpha(assumptions, spellings);
  const opaque = new Map([...(scope.opaque ?? new Map()).values()].map((v) => [v.name, v.head]));
  return {
    statements,
    problems: doc.problems,
    domains,
    assumptions,
    noise,
    spellings,
    relations,
    opaque,
    bound: new Set(scope.lets.keys()),
    recurrences,
  };

  function classify(st: PaperStatement, item: Statement, math: ParsedMath, piece: MathPiece): void {
    const tex = item.tex as Tex;
    st.parses = true;
    st.internal = show(tex);
    const prose = `${piece.prose} ${item.note ?? ''}`;
    if (INTRODUCING_PROSE.test(prose.trim())) st.introduced = true;
    if (tex.k !== 'chain') {
      st.role = 'not-checkable';
      st.reason =
        tex.k === 'quantifier' ? `a quantified statement (\\${tex.q})` : 'an expression, not an equation';
      return;
    }
    // `x \sim \mathcal{N}(0, I)`: x is standard normal noise from here on.
    markNoise(tex, math);
    const members = tex.members;
    let first = 0;
    /** Bind `lhs` to `rhs` if lhs is a symbol not yet bound (or `force`: an explicit `:=`). */
    const definitionOf = (lhs: Tex, rhs: Tex, force = false): boolean => {
      const spec = bindable(lhs, math);
      // `\hat x_0 = (z - \sigma v)/\alpha` after `z = \alpha \hat x_0 + ...` relates, not defines.
      if (!spec || dependsOn(rhs, spec.canon, math, scope.lets)) return false;
      if (!force && (declared.has(spec.canon) || scope.lets.has(spec.canon))) return false;
      // A value is not a definition (`k = 2`, `t = 0`: a case), nor is a time or an index set to
      // something (`t = T`: the formula at the end time).
      if (!spec.params.length && (isNumber(rhs) || INDEX_LIKE.test(spec.canon))) return false;
      // A state already in use (x_0, x_t) is re-expressed, not defined, unless the prose says so.
      const role = roles.get(spec.canon);
      if (
        !force &&
        !spec.params.length &&
        (role === 'state' || role === 'noise') &&
        !DEFINING_PROSE.test(prose.trim())
      ) {
        relate(spec.canon, lhs, rhs, math);
        return false;
      }
      const step = recurrence(spec.canon, rhs);
      if (step) recurrences.add(spec.canon);
      else if (!spec.params.length && memberOfFamily(rhs, spec.canon))
        updateRules.set(spec.canon, st.position);
      bind(spec, step ?? rhs, math);
      st.defines.push(spelling(spec.key));
      const lowered = lowerBinding(spec.canon, scope);
      const problem = 'problem' in lowered ? lowered.problem : undefined;
      if ('expr' in lowered) for (const n of freeSymbols(lowered.expr)) establish(n);
      if (problem) {
        // Bound to something flowproof cannot evaluate: the symbol stays free, and says so.
        scope.lets.delete(spec.canon);
        st.reason = `its right side cannot be evaluated (${problem}): ${spelling(spec.key)} stays a free symbol`;
      }
      return true;
    };
    if (options.formula) {
      // A formula asked about: each `=` pair is a claim.
    } else if (tex.ops[0] === ':=' || (tex.ops[0] === '=' && definitionOf(members[0], members[1]))) {
      if (tex.ops[0] === ':=' && !definitionOf(members[0], members[1], true)) {
        st.role = 'not-checkable';
        st.reason = `a definition of something that is not a symbol or a function of symbols`;
        return;
      }
      first = 1;
    } else if (tex.ops[0] === '=:') {
      if (!definitionOf(members[1], members[0], true)) {
        st.role = 'not-checkable';
        st.reason = 'a definition (=:) of something that is not a symbol';
        return;
      }
      first = 1;
    }
    const steps: PaperStep[] = [];
    const others: string[] = [];
    // Pairs after the definition; an ellipsis member joins its neighbours (`a = \dots = b` claims a = b).
    let left = members[first];
    /** The formula `left` belongs to: the display before, when this one goes on from it (`$$ = c $$`). */
    let leftMath = math;
    /** Its first step goes on from the display before: a derivation's step, never a constraint. */
    let linked = false;
    if (first === 0 && continues && isBefore(left)) {
      left = continues.tex;
      leftMath = continues.math;
      linked = true;
    }
    continues = undefined;
    for (let i = first; i < tex.ops.length; i++) {
      const op = tex.ops[i];
      const right = members[i + 1];
      if (isEllipsis(right)) continue;
      if (isEllipsis(left)) {
        left = right;
        continue;
      }
      if (op !== '=') {
        others.push(op);
        left = right;
        leftMath = math;
        continue;
      }
      steps.push(pairStep(left, right, math, leftMath));
      left = right;
      leftMath = math;
    }
    if (steps.length === 0) {
      st.role = st.defines.length > 0 ? 'definition' : 'not-checkable';
      if (st.role === 'not-checkable')
        st.reason =
          others.length > 0 ? `a relation '${others[0]}': only equalities are checked` : 'nothing to check';
      return;
    }
    const relation = !linked && st.defines.length === 0 && steps.length === 1 && constraint(steps[0]);
    // A relation among unbound symbols that the prose introduces ("where", "such that") is an assumption.
    if (relation && INTRODUCING_PROSE.test(prose.trim())) {
      st.role = 'definition';
      st.reason = 'a relation the paper introduces as an assumption (not checked)';
      return;
    }
    st.steps = steps;
    st.standalone = relation;
    st.role = steps.some((s) => s.lowered) ? 'claim' : st.defines.length > 0 ? 'definition' : 'not-checkable';
    if (st.role === 'not-checkable') st.reason = steps.find((s) => s.reason)?.reason;
  }

  function relate(canon: string, lhs: Tex, rhs: Tex, math: ParsedMath): void {
    const decl = scope.symbols.get(canon);
    if (!decl || decl.of !== undefined) return;
    try {
      const value = lowerMember(rhs, math, scope).expr;
      const step = makeStep(lhs, rhs, math);
      relations.push({
        symbol: decl.name,
        value,
        latex: `${step.lhsLatex} = ${step.rhsLatex}`,
        position: step.position,
      });
    } catch (err) {
      if (!(err instanceof NotCheckable) && !(err instanceof InputError)) throw err;
    }
  }

  /** A step with its lowering, or the reason it cannot be lowered. */
  function pairStep(lhs: Tex, rhs: Tex, math: ParsedMath, lhsMath = math): PaperStep {
    const step = makeStep(lhs, rhs, math, lhsMath);
    const rule = [...updateRules].find(
      ([c]) => dependsOn(lhs, c, lhsMath, scope.lets) || dependsOn(rhs, c, math, scope.lets),
    );
    const updateRule = rule && { spelling: spelling(rule[0]), position: rule[1] };
    try {
      return { step, lowered: lowerStep(step, scope), ...(updateRule && { updateRule }) };
    } catch (err) {
      if (err instanceof NotCheckable) return { step, reason: err.reason };
      if (err instanceof InputError) return { step, reason: err.detail };
      throw err;
    }
  }

  /** Does a step relate only symbols nobody defined (no binding involved)? */
  function constraint(s: PaperStep): boolean {
    return (
      s.lowered !== undefined &&
      !usesBinding(s.step.lhs, s.step.lhsMath ?? s.step.math) &&
      !usesBinding(s.step.rhs, s.step.math)
    );
  }

  function usesBinding(t: Tex, math: ParsedMath): boolean {
    if (t.k === 'atom') return scope.lets.has(t.canon) || !!bindingAtOtherIndex(t.canon, scope.lets);
    if (t.k === 'apply' && scope.lets.has(canonical(math.tokens, t.from, t.to))) return true;
    return childrenOf(t).some((c) => usesBinding(c, math));
  }

  function bind(spec: { canon: string; key: string; params: string[] }, body: Tex, math: ParsedMath): void {
    const name = `${identifierOf(spec.canon)}_let`;
    let unique = name;
    while (names.has(unique)) unique += '_';
    names.add(unique);
    const decl: LetDecl = {
      name: unique,
      params: spec.params.map((_, i) => `${unique}_arg${i}`),
      paramSpellings: spec.params,
      body,
      math,
    };
    scope.lets.set(spec.canon, decl);
    spellings.set(unique, spec.canon);
  }

  function markNoise(tex: Extract<Tex, { k: 'chain' }>, math: ParsedMath): void {
    tex.ops.forEach((op, i) => {
      const rhs = tex.members[i + 1];
      if (op !== '~' || rhs.k !== 'normal' || rhs.args.length !== 2) return;
      const [m, v] = rhs.args.map((a) => canonical(math.tokens, a.from, a.to));
      if (m !== '0' || !/^(I|1|\\mathbf I|\\boldsymbol I|\\mI)$/.test(v)) return;
      const lhs = tex.members[i];
      const targets = lhs.k === 'tuple' ? lhs.items : [lhs];
      for (const t of targets) {
        if (t.k !== 'atom' || !symbolLike(t.canon)) continue;
        const family = familyOf(t.canon).family;
        // `x_0 \sim \mathcal{N}(0, I)` (flow matching's source) makes x_0 noise, not x_1 (the data) or x_t.
        const { sub } = familyOf(t.canon);
        if (notationOf(t.canon)?.role !== 'state' || sub === undefined || !/^\d+$/.test(sub)) {
          noiseFamilies.add(family);
          for (const [c, d] of scope.symbols) if (d.auto && familyOf(c).family === family) noise.add(d.name);
        }
        const decl = scope.auto?.(t.canon, 'variable');
        if (decl) noise.add(decl.name);
      }
    });
  }
}

/**
 * `\alpha_t` is DDPM's 1 - \beta_t in some papers and a path's signal coefficient in others: the file's
 * other symbols decide (\beta_t, \bar\alpha_t: DDPM; \sigma_t: a path), else the note says it is ambiguous.
 * The domain, (0,1), is the same either way.
 */
function settleAlpha(assumptions: Map<string, Assumption>, spellings: Map<string, string>): void {
  const families = new Set([...spellings.values()].map((c) => familyOf(c).family));
  const ddpm = families.has('\\bar \\alpha') || families.has('\\beta');
  const path = families.has('\\sigma');
  const note =
    ddpm && !path
      ? 'DDPM notation (Ho et al. 2020): alpha_t = 1 - beta_t, as the file uses beta_t / bar alpha_t'
      : path && !ddpm
        ? 'Gaussian-path notation: the signal coefficient, as the file uses sigma_t'
        : 'ambiguous: DDPM alpha_t = 1 - beta_t or a path signal coefficient (the file uses both families); (0,1) either way';
  for (const [name, a] of assumptions)
    if (a.source === 'dictionary' && familyOf(spellings.get(name) ?? '').family === '\\alpha')
      assumptions.set(name, { ...a, note });
}

/** A single formula as a document of one display piece, starting at line 1, column 1. */
function oneFormula(text: string, file: string): ReturnType<typeof readDocument> {
  const origin = { file, line: 1, column: 1 };
  return {
    pieces: [{ latex: text, origin, kind: 'display', delimiter: '$$', prose: '', seq: 0 }],
    macros: new Macros(),
    problems: [],
  };
}

/** The spellings `LATEX: DOMAIN; ...` of `% flowproof:` / `<!-- flowproof: -->` comments. */
function directiveSymbols(text: string, file: string): SymbolSpec[] {
  const out: SymbolSpec[] = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    const line = 1 + (text.slice(0, m.index).match(/\n/g)?.length ?? 0);
    for (const clause of m[1].split(';')) {
      const c = clause.trim();
      if (!c) continue;
      const colon = c.lastIndexOf(':');
      if (colon <= 0)
        throw new InputError("a flowproof comment needs 'LATEX: DOMAIN' clauses", { file, line }, c);
      const latex = c.slice(0, colon).trim();
      out.push({
        name: identifierOf(latex),
        latex,
        domain: c.slice(colon + 1).trim(),
        position: { file, line, column: 1 },
      });
    }
  }
  return out;
}

function statementOf(piece: MathPiece, math: ParsedMath, item: Statement): PaperStatement {
  const tex = item.tex;
  let latex = piece.latex.trim();
  let position: SourceRef = { file: piece.origin.file, line: piece.origin.line, column: piece.origin.column };
  if (tex && math.tokens[tex.from]) {
    latex = sourceOf(math, tex.from, tex.to);
    position = { file: piece.origin.file, ...locate(math.source, math.tokens[tex.from].at, math.origin) };
  } else if (item.error) {
    const p = item.error.position;
    if (p.line !== undefined) position = { file: piece.origin.file, line: p.line, column: p.column ?? 1 };
  }
  return {
    piece,
    latex,
    position,
    parses: !item.error,
    role: 'not-checkable',
    ...(item.error
      ? { reason: item.error.detail + (item.error.offending ? ` near '${item.error.offending}'` : '') }
      : {}),
    defines: [],
    steps: [],
    introduces: [],
    bound: new Set(),
  };
}

function makeStep(lhs: Tex, rhs: Tex, math: ParsedMath, lhsMath = math): Step {
  // A step from the display before is placed at its right side, in this display.
  const at = (lhsMath === math ? math.tokens[lhs.from] : math.tokens[rhs.from])?.at ?? 0;
  return {
    lhs,
    rhs,
    math,
    ...(lhsMath !== math ? { lhsMath } : {}),
    lhsLatex: sourceOf(lhsMath, lhs.from, lhs.to),
    rhsLatex: sourceOf(math, rhs.from, rhs.to),
    position: { file: math.origin.file ?? '', ...locate(math.source, at, math.origin) },
  };
}

/** At most this much prose between two displays still lets the second go on from the first. */
const CONTINUATION_GAP = 160;

/**
 * Does a display go on from the one before it (`$$ a = b $$ so that $$ = c $$`)? Only across a short
 * stretch of prose in the same file: past a paragraph of text, the chain it continues is not known.
 */
function goesOn(piece: MathPiece): boolean {
  if (piece.gap === undefined) return false;
  const prose = piece.gap.replace(/\s+/g, ' ').trim();
  return prose.length <= CONTINUATION_GAP && !/(^|\n)\s*#/.test(piece.gap);
}

/**
 * The last side of a display that holds one statement (a chain's last side, or a lone expression). With
 * several (`a = b, \quad c = d`, `\text{where } \lambda = 2`), which one goes on is not known.
 */
function tailOf(math: ParsedMath): { tex: Tex; math: ParsedMath } | undefined {
  if (math.items.length !== 1 || math.items[0].note) return undefined;
  const tex = math.items[0].tex;
  if (!tex || tex.k === 'quantifier') return undefined;
  const member = tex.k === 'chain' ? tex.members[tex.members.length - 1] : tex;
  return isBefore(member) || isEllipsis(member) ? undefined : { tex: member, math };
}

/** `\alpha _ { t - 1 }` -> `\alpha _ { # - 1 }`: the member whatever its index letter. */
function indexShape(canon: string | undefined): string | undefined {
  if (canon === undefined) return undefined;
  const { sub, rest } = familyOf(canon);
  if (sub === undefined || !sub.split(' ').some((p) => INDEX_LETTERS.test(p))) return undefined;
  const head = canon.slice(0, canon.length - rest.length).trimEnd();
  const shape = sub
    .split(' ')
    .map((p) => (INDEX_LETTERS.test(p) ? '#' : p))
    .join(' ');
  return `${head} _ ${shape}${rest.slice(`_ ${sub}`.length)}`;
}

/** The opaque left side of a display that starts with a relation. */
function isBefore(t: Tex): boolean {
  return t.k === 'opaque' && t.what === 'the side of the formula before';
}

/**
 * `X_t = \prod_{s=1}^t Y_s` (or `\sum`, or `\prod_{s \le t}`) read as its recurrence
 * `X_t = Y_t X_{t-1}` (`Y_t + X_{t-1}`): what a derivation uses of it (`\bar\alpha_t = \alpha_t
 * \bar\alpha_{t-1}`), in terms flowproof can check. Undefined for anything else.
 */
function recurrence(lhs: string, rhs: Tex): Tex | undefined {
  if (rhs.k !== 'bigop' || (rhs.op !== 'prod' && rhs.op !== 'sum') || !rhs.sub) return undefined;
  const { family, sub } = familyOf(lhs);
  if (sub === undefined || sub.includes(' ') || familyOf(lhs).rest !== `_ ${sub}`) return undefined;
  let index: string | undefined;
  const s = rhs.sub;
  if (s.k === 'chain' && s.members.length === 2 && s.members[0].k === 'atom') {
    const upper = s.ops[0] === '=' ? rhs.sup : s.ops[0] === '<=' ? s.members[1] : undefined;
    const start = s.members[1];
    if (s.ops[0] === '=' && !(start.k === 'num' && (start.text === '1' || start.text === '0')))
      return undefined;
    if (upper?.k === 'atom' && upper.canon === sub) index = s.members[0].canon;
  }
  if (index === undefined) return undefined;
  const current = reindex(rhs.body, index, sub);
  const previous: Tex = { k: 'atom', canon: `${family} _ { ${sub} - 1 }`, from: rhs.from, to: rhs.to };
  return rhs.op === 'prod'
    ? { k: 'mul', factors: [current, previous], from: rhs.from, to: rhs.to }
    : { k: 'add', terms: [current, previous], signs: [1, 1], from: rhs.from, to: rhs.to };
}

/** `t` with the summation index `i` replaced by `t` in every subscript (`\alpha_i` -> `\alpha_t`). */
function reindex(t: Tex, index: string, to: string): Tex {
  if (t.k === 'atom') {
    const { family, sub, rest } = familyOf(t.canon);
    if (sub === undefined) return t;
    const renamed = sub
      .split(' ')
      .map((x) => (x === index ? to : x))
      .join(' ');
    return { ...t, canon: `${family} ${rest.replace(`_ ${sub}`, `_ ${renamed}`)}`.replace(/ +/g, ' ') };
  }
  const out = { ...t } as Record<string, unknown>;
  for (const [k, v] of Object.entries(t)) {
    if (Array.isArray(v))
      out[k] = v.map((x) => (typeof x === 'object' && x && 'k' in x ? reindex(x as Tex, index, to) : x));
    else if (typeof v === 'object' && v && 'k' in v) out[k] = reindex(v as Tex, index, to);
  }
  return out as unknown as Tex;
}

/** A symbol spelling a paper may define: letters, Greek, decorations, scripts (not `\mathbb R`, not text). */
function symbolLike(canon: string): boolean {
  // A word may name a subscript (`\sigma_{\mathrm{data}}`), not a symbol (`\mathrm{Var}`).
  if (/\\mathbb|\\infty|\\emptyset/.test(canon)) return false;
  const { family } = familyOf(canon);
  return /^(\\(bar|hat|tilde|dot|ddot|vec|check|breve|mathring|overline|widehat|widetilde) )*(\\[A-Za-z]+|[A-Za-z]|\\mathcal [A-Za-z])$/.test(
    family,
  );
}

/** A left side that can be defined: a symbol, or a function of distinct symbols (`\mu_t(x_t, x_0)`). */
function bindable(t: Tex, math: ParsedMath): { canon: string; key: string; params: string[] } | undefined {
  if (t.k === 'atom' && symbolLike(t.canon)) return { canon: t.canon, key: t.canon, params: [] };
  // `\Sigma(u) = ...` read as a product (\Sigma is no function in the field's notation): on the left of
  // a definition, a name before a parenthesized symbol defines a function of it.
  if (t.k === 'mul' && t.factors.length === 2) {
    const [head, arg] = t.factors;
    const opens = math.tokens[arg.from];
    if (
      head.k === 'atom' &&
      arg.k === 'atom' &&
      opens?.kind === 'char' &&
      opens.text === '(' &&
      symbolLike(head.canon)
    )
      return { canon: head.canon, key: canonical(math.tokens, t.from, t.to), params: [arg.canon] };
  }
  if (t.k === 'apply' && t.head.k === 'atom' && symbolLike(t.head.canon)) {
    const args = [...t.args, ...t.given];
    if (!args.every((a) => a.k === 'atom')) return undefined;
    const params = args.map((a) => (a as { canon: string }).canon);
    if (new Set(params).size !== params.length) return undefined;
    // A density is defined for the arguments as written: q(x_t | x_0) and q(x_t | x_{t-1}) differ.
    if (t.given.length > 0 || /^(p|q|\\rho|\\pi)( |$)/.test(t.head.canon))
      return {
        canon: canonical(math.tokens, t.from, t.to),
        key: canonical(math.tokens, t.from, t.to),
        params: [],
      };
    return { canon: t.head.canon, key: canonical(math.tokens, t.from, t.to), params };
  }
  return undefined;
}

/** Does `t` mention the spelling `canon` (as a symbol or a function head)? */
function mentions(t: Tex, canon: string, math: ParsedMath): boolean {
  if (t.k === 'atom') return t.canon === canon;
  if (t.k === 'apply' && canonical(math.tokens, t.from, t.to) === canon) return true;
  return childrenOf(t).some((c) => mentions(c, canon, math));
}

/** Whether `t` mentions `canon`, directly or through the bindings it uses (their bodies, transitively). */
function dependsOn(
  t: Tex,
  canon: string,
  math: ParsedMath,
  lets: Scope['lets'],
  seen = new Set<string>(),
): boolean {
  if (mentions(t, canon, math)) return true;
  for (const [bound, decl] of lets) {
    if (seen.has(bound) || !mentions(t, bound, math)) continue;
    seen.add(bound);
    if (dependsOn(decl.body, canon, decl.math, lets, seen)) return true;
  }
  return false;
}

/**
 * Does `t` mention an earlier step of `canon`'s family, the same index variable shifted (`\hat Z_t` for
 * `\hat Z_{t+\epsilon}`, `x_t` for `x_{t-1}`)? Not `x_0` for `x_t` (a marginal), nor a schedule's own
 * recurrence (`\bar\alpha_t = \alpha_t \bar\alpha_{t-1}` defines it).
 */
function memberOfFamily(t: Tex, canon: string): boolean {
  const { family, sub } = familyOf(canon);
  if (sub === undefined || notationOf(canon)?.role === 'variable') return false;
  const indices = (s: string) => new Set(s.split(' ').filter((x) => /^\\?[A-Za-z]+$/.test(x)));
  const mine = indices(sub);
  if (t.k === 'atom') {
    const other = familyOf(t.canon);
    return (
      other.family === family &&
      other.sub !== undefined &&
      t.canon !== canon &&
      [...indices(other.sub)].some((x) => mine.has(x))
    );
  }
  return childrenOf(t).some((c) => memberOfFamily(c, canon));
}

function isNumber(t: Tex): boolean {
  return t.k === 'num' || (t.k === 'add' && t.terms.length === 1 && t.terms[0].k === 'num');
}

function isEllipsis(t: Tex): boolean {
  return t.k === 'opaque' && t.what === 'ellipsis';
}
