// Reproduction: nerdamer measured against the soundness catalogue, to decide whether it may serve as a
// prover (DESIGN 2: only if it passes the whole catalogue). For every entry, nerdamer simplifies the
// residual lhs - rhs (derivatives already taken by flowproof, names renamed v0, v1, ...) in a worker
// thread with a 10 s budget. A "0" on a mistake is a false proof. Then three direct reproductions of the
// defects the identity-engine issue reported. Run: npx tsx test/bench/identity-nerdamer.ts
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { sub } from '../../src/symbolic/index.js';
import { CATALOGUE, entrySides } from '../identity/catalogue.js';
import { casText } from './identity-cas-text.js';

const require = createRequire(import.meta.url);
const paths = {
  core: require.resolve('nerdamer'),
  algebra: require.resolve('nerdamer/Algebra'),
  calculus: require.resolve('nerdamer/Calculus'),
};
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const nerdamer = require(workerData.core); require(workerData.algebra); require(workerData.calculus);
parentPort.on('message', (text) => {
  try { parentPort.postMessage({ out: nerdamer('simplify(' + text + ')').toString() }); }
  catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
});`;

function simplify(
  text: string,
  budgetMs: number,
): Promise<{ out?: string; error?: string; timedOut?: boolean; ms: number }> {
  const t0 = Date.now();
  const w = new Worker(SOURCE, { eval: true, workerData: paths });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void w.terminate();
      resolve({ timedOut: true, ms: Date.now() - t0 });
    }, budgetMs);
    const done = (m: { out?: string; error?: string }): void => {
      clearTimeout(timer);
      void w.terminate();
      resolve({ ...m, ms: Date.now() - t0 });
    };
    w.once('message', done);
    w.once('error', (err) => done({ error: err.message }));
    w.postMessage(text);
  });
}

let falseProofs = 0;
let proved = 0;
const trueCount = CATALOGUE.filter((e) => e.holds).length;
console.log('name | expected | nerdamer simplify(lhs - rhs) | ms | judgement');
for (const e of CATALOGUE) {
  const { lhs, rhs } = entrySides(e);
  const text = casText(sub(lhs, rhs), 'nerdamer', new Map());
  const r = await simplify(text, 10_000);
  const zero = r.out !== undefined && r.out.trim() === '0';
  let judgement = r.timedOut
    ? 'timeout'
    : r.error
      ? `error: ${r.error.slice(0, 60)}`
      : zero
        ? 'says 0'
        : 'not 0';
  if (zero && e.holds) proved++;
  if (zero && !e.holds) {
    falseProofs++;
    judgement = 'FALSE PROOF';
  }
  const shown = (r.out ?? '').length > 60 ? r.out!.slice(0, 57) + '...' : (r.out ?? '');
  console.log(`${e.name} | ${e.holds ? 'holds' : 'false'} | ${shown} | ${r.ms} | ${judgement}`);
}
console.log(
  `\nnerdamer proves ${proved} of ${trueCount} true identities; false proofs on mistakes: ${falseProofs}`,
);

// Direct reproductions of the defects reported in the identity-engine issue.
const nerdamer = require('nerdamer') as (s: string) => {
  toString(): string;
  evaluate(): { text(m?: string): string };
};
require('nerdamer/Calculus');
require('nerdamer/Algebra');
console.log('\nreproductions:');
console.log(
  `  diff(x^2 - 2*x*sqrt(a) + a, x) = ${nerdamer('diff(x^2 - 2*x*sqrt(a) + a, x)').toString()}   (correct: 2*x - 2*sqrt(a))`,
);
console.log(
  `  e as parsed: ${nerdamer('e').toString()}; e evaluated: ${nerdamer('e').evaluate().text('decimals')}   (correct: e = 2.718281828459045...)`,
);
console.log(
  `  al(t) parses as: ${nerdamer('al(t)').toString()}   (an unknown function should be an error, not a product)`,
);
