// `npm run bench:scan`: how long `flowproof scan` takes on a 500-equation paper (goal: under 10 s here).
// The paper is generated: the shapes of a diffusion paper's display math (definitions, chains that
// hold, a wrong step, an equality in law, expectations and norms that are not checkable), each with
// its own coefficients so that no two equations are alike and nothing is skipped as a repeat.
// Prints the time of each of three runs, their median, and the summary the scan gives.
import { loadavg } from 'node:os';
import { scanText } from '../../src/verify/scan.js';

const TEMPLATES: ((k: number) => string)[] = [
  (k) => `\\alpha_{${k}} = 1 - \\beta_{${k}}`,
  (k) =>
    `\\frac{1}{\\sqrt{\\alpha_{${k}}}}\\left(x_{${k}} - \\frac{1-\\alpha_{${k}}}{\\sqrt{1-\\bar\\alpha_{${k}}}}\\epsilon\\right) = \\frac{x_{${k}}}{\\sqrt{\\alpha_{${k}}}} - \\frac{\\beta_{${k}}\\,\\epsilon}{\\sqrt{\\alpha_{${k}}}\\sqrt{1-\\bar\\alpha_{${k}}}}`,
  (k) => `\\nabla_{x} \\log \\mathcal{N}(x; ${k} m, s^2) = -\\frac{x - ${k} m}{s^2}`,
  (k) => `(a + ${k} b)^2 = a^2 + ${2 * k} a b + ${k * k} b^2`,
  (k) =>
    `\\sqrt{${k}}\\,\\epsilon_1 + \\sqrt{${k + 1}}\\,\\epsilon_2 = \\sqrt{${2 * k + 1}}\\,\\bar\\epsilon`,
  (k) => `\\mathbb{E}_{x_0}\\left[\\|x_0 - ${k}\\|^2\\right] = v_{${k}}`,
  (k) => `\\frac{\\sigma_{${k}}^2}{1 + \\sigma_{${k}}^2} + \\frac{1}{1 + \\sigma_{${k}}^2} = 1`,
  (k) => `e^{${k} \\log c} = c^{${k}}`,
  (k) => `\\frac{d}{dt}\\left(${k} t^2 + c\\right) = ${2 * k} t`,
  // A wrong step after a definition (the first template defines alpha_k): refuted.
  (k) => `\\alpha_{${k}}\\,(1 + \\beta_{${k}}) = 1 - \\beta_{${k}}^{3}`,
];

function paper(n: number): string {
  const out = ['# A generated paper', ''];
  for (let i = 0; i < n; i++)
    out.push(
      `Step ${i + 1}:`,
      '',
      '$$',
      TEMPLATES[i % TEMPLATES.length](Math.floor(i / TEMPLATES.length) + 2),
      '$$',
      '',
    );
  return out.join('\n');
}

const text = paper(500);
const times: number[] = [];
let last;
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  last = await scanText(text, 'generated.md', { seed: 1 });
  times.push((performance.now() - t0) / 1000);
}
const median = [...times].sort((a, b) => a - b)[1];
const s = last!.summary;
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  `display statements ${s.display}, parsed ${s.parsed}, checked ${s.checked}, verdicts ${JSON.stringify(s.verdicts)}`,
);
console.log(`runs ${times.map((x) => x.toFixed(2)).join(' s, ')} s`);
console.log(`median ${median.toFixed(2)} s for ${s.display} equations (goal: under 10 s)`);
