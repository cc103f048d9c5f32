// The terminal, JSON and JUnit writers of verify/scan reports.
import { describe, expect, it } from 'vitest';
import { toJson } from '../../src/report/json.js';
import { escapeXmlText, toJunit } from '../../src/report/junit.js';
import { formatClaimLine, formatScanReport, formatVerifyReport } from '../../src/report/terminal.js';
import { SCAN_SCHEMA, VERIFY_SCHEMA, type ClaimResult, type VerifyReport } from '../../src/report/types.js';

const refutedStep = {
  index: 2,
  kind: 'equation' as const,
  lhs: '(a+b)^2',
  rhs: 'a^2 + b^2',
  position: { file: 'd/x.md', line: 14, column: 3 },
  verdict: {
    grade: 'refuted' as const,
    evidence: [],
    counterexample: { point: { a: '1', b: '2' }, lhs: '9', rhs: '5', residual: '4.44e-1' },
  },
  ms: 3,
};

const claim = (over: Partial<ClaimResult>): ClaimResult => ({
  id: 'c',
  title: 'A <claim> & "more"',
  file: 'd/x.md',
  sources: ['003: s'],
  expected: 'holds',
  verdict: { grade: 'proved', evidence: [] },
  matches: true,
  steps: [],
  ms: 12,
  ...over,
});

const report = (claims: ClaimResult[]): VerifyReport => ({
  schema: VERIFY_SCHEMA,
  tool: { name: 'flowproof', version: '0.1.0' },
  startedAt: '2026-01-01T00:00:00.000Z',
  seed: 7,
  options: { monteCarlo: false, thorough: false },
  claims,
  summary: {
    total: claims.length,
    matching: claims.filter((c) => c.matches).length,
    mismatching: claims.filter((c) => !c.matches).length,
    skipped: 0,
    byGrade: {
      proved: 1,
      'holds-numerically': 0,
      'confirmed-exact': 0,
      'confirmed-mc': 0,
      refuted: 1,
      inconclusive: 0,
    },
    ms: 1500,
  },
});

const failing = claim({ id: 'bad', verdict: refutedStep.verdict, matches: false, steps: [refutedStep] });

describe('terminal', () => {
  it('one line for a matching claim', () => {
    expect(formatClaimLine(claim({}), 5)).toBe('ok   c      proved               12 ms');
  });
  it('a proved claim lists the normal-form rules that rested on a sign, once each', () => {
    const used = {
      rule: 'power-of-nonneg',
      formula: 'sqrt(u)^2 = u',
      u: '1 - abar',
      needs: 'u >= 0' as const,
    };
    const step = (index: number) => ({
      ...refutedStep,
      index,
      verdict: {
        grade: 'proved' as const,
        evidence: [
          {
            kind: 'symbolic' as const,
            strategy: 'normal-form',
            rules: [used, { rule: 'sin-squared', formula: 'sin(u)^2 = 1 - cos(u)^2', u: 'x' }],
            ms: 1,
          },
        ],
      },
    });
    expect(formatClaimLine(claim({ steps: [step(1), step(2)] }), 5).split('\n')).toEqual([
      'ok   c      proved               12 ms',
      '      proved by normal form: sqrt(u)^2 = u using u = 1 - abar >= 0',
    ]);
  });
  it('a mismatch shows the step, its file:line:column and the counterexample', () => {
    const text = formatClaimLine(failing);
    expect(text.split('\n')).toEqual([
      'FAIL bad  refuted              12 ms',
      '      step 2 (equation) refuted at d/x.md:14:3',
      '        (a+b)^2  =  a^2 + b^2',
      '        counterexample at a=1, b=2: lhs = 9, rhs = 5, residual 4.44e-1',
    ]);
  });
  it('an erratum that is refuted as expected says so', () => {
    const text = formatClaimLine({ ...failing, expected: 'refuted', matches: true });
    expect(text).toMatch(/^ok {3}bad\s+refuted .*expected refuted: erratum/);
  });
  it('the summary line counts claims and grades', () => {
    expect(
      formatVerifyReport(report([claim({}), failing]))
        .split('\n')
        .pop(),
    ).toBe('1/2 claims as expected (1 proved, 1 refuted); seed 7; 1.5 s');
  });
  it('scan: status, role and reason per statement, and the summary', () => {
    const text = formatScanReport({
      schema: SCAN_SCHEMA,
      tool: { name: 'flowproof', version: '' },
      records: [
        {
          file: 'p.md',
          line: 3,
          column: 3,
          latex: 'a = b',
          parses: true,
          checkable: false,
          kind: 'display',
          role: 'definition',
          defines: ['a'],
        },
        {
          file: 'p.md',
          line: 5,
          column: 3,
          latex: '\\foo',
          parses: false,
          checkable: false,
          kind: 'display',
          role: 'not-checkable',
          reason: 'unknown macro',
        },
        {
          file: 'p.md',
          line: 7,
          column: 1,
          latex: '',
          parses: false,
          checkable: false,
          kind: 'problem',
          role: 'not-checkable',
          reason: '\\input{m}: file not found',
        },
      ],
      summary: {
        display: 2,
        inline: 0,
        parsed: 1,
        definitions: 1,
        checkable: 0,
        checked: 0,
        verdicts: {},
        notCheckable: [['unknown macro', 1]],
      },
    });
    expect(text).toContain('p.md:3:3  definition        a = b');
    expect(text).toContain('defines a');
    expect(text).toContain('p.md:5:3  no parse');
    expect(text).toContain('p.md:7:1  problem           \\input{m}: file not found');
    expect(text).toContain('2 display statements: 1 parse, 1 definitions, 0 checkable, 0 checked; 0 inline');
    expect(text).toMatch(/not checkable:\n +1 +unknown macro/);
  });
});

describe('JSON', () => {
  it('round-trips the report, writing bigints as strings', () => {
    const r = report([failing]);
    expect(JSON.parse(toJson(r))).toEqual(r);
    expect(JSON.parse(toJson({ n: 10n ** 30n }))).toEqual({ n: '1000000000000000000000000000000' });
  });
});

describe('JUnit', () => {
  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(escapeXmlText('a<b & "c" \'d\'\u0001\ne')).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;\ne');
  });
  it('one testcase per claim, a failure with the deciding step', () => {
    const xml = toJunit(report([claim({}), failing]));
    expect(xml).toContain('<testsuites name="flowproof verify" tests="2" failures="1" time="1.500">');
    expect(xml).toContain('name="A &lt;claim&gt; &amp; &quot;more&quot;"');
    expect(xml).toContain('<failure message="expected holds, got refuted" type="refuted">');
    expect(xml).toContain('step 2 refuted at d/x.md:14:3: (a+b)^2 = a^2 + b^2');
    expect(xml).toContain('counterexample at a=1, b=2: lhs = 9, rhs = 5, residual 4.44e-1');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
  });
  it('a failed exact check is shown with its own fields: value against tolerance, no p-value', () => {
    const exactStep = {
      index: 1,
      kind: 'experiment' as const,
      lhs: 'fm-cfm-exact',
      rhs: '{}',
      position: { file: 'd/x.md', line: 9, column: 1 },
      verdict: {
        grade: 'refuted' as const,
        counterexample: { experiment: 'fm-cfm-exact', seed: 3, failed: ['gap (5.2e13 > tolerance 1)'] },
        reason: 'out of tolerance: gap (5.2e13 > tolerance 1)',
        evidence: [
          {
            kind: 'exact' as const,
            experiment: 'fm-cfm-exact',
            test: 'gap',
            value: 5.2e13,
            tolerance: 1,
            size: 80,
            unit: '(law, theta) pairs',
            backend: 'float64',
            seed: 3,
            ms: 40,
          },
        ],
      },
      ms: 40,
    };
    const xml = toJunit(
      report([claim({ id: 'x', verdict: exactStep.verdict, matches: false, steps: [exactStep] })]),
    );
    expect(xml).toContain(
      'exact computation: check gap, value 5.200e+13, tolerance 1, within tolerance NO, computed over 80 (law, theta) pairs, arithmetic float64, seed 3, time 40 ms',
    );
    expect(xml).not.toMatch(/p-value|alpha|confidence/);
  });
});
