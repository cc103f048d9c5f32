// The bad-input audit of every CLI command: each case must exit non-zero (2 for bad input) with one
// line on stderr naming the offending piece (and the file where one is involved), never a stack trace,
// an 'internal error' or a NaN printed as a result. In-process through main() (a process per case
// costs seconds); a few cases also through the real entry point.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { main } from '../../src/cli/main.js';
import { captureOutput } from '../helpers/capture.js';
import { runCli } from '../helpers/cli.js';

const io = captureOutput();

const dir = mkdtempSync(join(tmpdir(), 'flowproof-bad-input-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
const folder = join(dir, 'a-folder');
mkdirSync(folder);
const folderJson = join(dir, 'out-folder.json');
mkdirSync(folderJson);
const missing = join(dir, 'missing.md');
const noDir = join(dir, 'no', 'such', 'folder');
const binary = file('binary.md', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe]));
const empty = file('empty.md', '');
const plain = file('plain.txt', 'hello\nworld\n');
const paper = file('paper.md', 'Text.\n\n$$ a + b = b + a $$\n');
const badYaml = file('bad.yaml', 'symbols: [\n');
const badDomain = file('bad-domain.yaml', 'symbols:\n  a: "(0,1"\n');
const truncatedJson = file('truncated.json', '[1,2');
const wrongFormat = file('wrong-format.json', '{"format":"x"}');
const jsSyntax = file('syntax.cjs', 'const x = ;\n');
const jsThrows = file('throws.mjs', '\n\nthrow new Error("boom in module");\n');
const tsSyntax = file('syntax.ts', 'let x: number = ;\n');
const noMeta = file('no-meta.mjs', 'export const a = 1;\n');

const SAMPLE = ['sample', '--target', 'gaussian-1d', '--quiet', '--n', '50', '--steps', '5'];
const DDIM = [...SAMPLE, '--sampler', 'ddim'];
const CONVERT = [
  'convert',
  '--from',
  'eps',
  '--to',
  'data',
  '--value',
  '0.3',
  '--x',
  '1',
  '--path',
  'vp-sde',
];
const RUN = ['run', 'ddim-is-euler', '--quiet'];

type Case = [label: string, args: string[], message: RegExp];

// Every case exits 2 (bad input). One case a line, for reading as a table.
// prettier-ignore
const CASES: Record<string, Case[]> = {
  schedules: [
    ['unknown flag', ['schedules', '--bogus'], /unknown flag --bogus/],
    ['missing flag value', ['schedules', '--t'], /flag --t needs a value/],
    ['--t abc', ['schedules', '--t', 'abc'], /flag --t needs a number or a comma-separated list of numbers, got 'abc'/],
    ['--t NaN', ['schedules', '--t', 'NaN'], /flag --t needs a number or a comma-separated list of numbers, got 'NaN'/],
    ['--t Infinity', ['schedules', '--t', 'Infinity'], /flag --t needs a number or a comma-separated list of numbers, got 'Infinity'/],
    ['--t empty', ['schedules', '--t='], /flag --t needs a number or a comma-separated list of numbers, got ''/],
    ['--t with an empty entry', ['schedules', '--t', '0.1,,0.5'], /flag --t needs a number or a comma-separated list of numbers, got '0\.1,,0\.5'/],
    ['unknown library name', ['schedules', '--path', 'flow_matching:Cosin'], /unknown schedule 'flow_matching:Cosin', did you mean 'flow_matching:Cosine'\?/],
    ['a library name guessed bare', ['schedules', '--path', 'CondOT'], /unknown schedule 'CondOT', did you mean 'flow_matching:CondOT'\?/],
    ['a recipe, not a built-in', ['schedules', '--path', 'flow_matching:Polynomial'], /flow_matching:Polynomial \(PolynomialConvexScheduler\(n\)\) is not a built-in schedule: --alpha 't\^n' --sigma '1 - t\^n' --convention flow/],
    ['two schedules', ['schedules', '--path', 'vp-sde', '--schedule', 'ddpm-linear'], /give one schedule, not --path and --schedule/],
    ['--alpha without --sigma', ['schedules', '--alpha', 't'], /a custom path needs both --alpha and --sigma near '--alpha'/],
    ['a custom path with a second symbol', ['schedules', '--alpha', 't^n', '--sigma', '1 - t^n'], /<--alpha>: unknown symbol 'n' \(the only variable is t\) near 'n'/],
    ['a malformed custom alpha', ['schedules', '--alpha', 't^', '--sigma', '1 - t'], /<--alpha>:1:3: expected a number, symbol or '\(' but found end of input/],
    ['unsupported LaTeX in --sigma', ['schedules', '--alpha', 't', '--sigma', '\\foo{t}'], /<--sigma>:1:1: unknown macro \\foo/],
    ['the convention contradicted by the path', ['schedules', '--alpha', 't', '--sigma', '1 - t', '--convention', 'diffusion'], /--convention diffusion says t = 0 is data, but snr = alpha\^2\/sigma\^2 of this path rises with t .*: it is written in the flow convention/],
    ['no convention readable', ['schedules', '--alpha', '1', '--sigma', '1'], /not monotone in t, so its convention cannot be read off: give --convention flow or diffusion/],
    ['unknown convention', ['schedules', '--path', 'vp-sde', '--convention', 'flw'], /--convention must be flow or diffusion, did you mean 'flow'\?/],
    ['a parameter the path lacks', ['schedules', '--path', 've-sde', '--beta-max', '3'], /--beta-max does not apply to ve-sde \(its parameters: --sigma-min, --sigma-max\)/],
    ['a parameter out of range', ['schedules', '--path', 'vp-sde', '--beta-min', '-1'], /vpSde: argument 'betaMin' = -1 must be a finite number > 0/],
    ['--rho on a path', ['schedules', '--path', 'edm', '--rho', '7'], /--rho does not apply to edm/],
    ['a parameter on a custom path', ['schedules', '--alpha', 't', '--sigma', '1 - t', '--beta-min', '1'], /--beta-min does not apply to a custom --alpha\/--sigma path/],
    ['--timestep on a path', ['schedules', '--path', 'vp-sde', '--timestep', '3'], /--timestep does not apply to vp-sde \(a continuous path: give --t\)/],
    ['--convention flow on a discrete schedule', ['schedules', '--path', 'ddpm-linear', '--convention', 'flow'], /ddpm-linear is a discrete schedule counted from the data end \(diffusion convention\); --convention flow does not apply/],
    ['unknown indexing', ['schedules', '--path', 'ddpm-linear', '--timestep', '3', '--indexing', 'zero'], /--indexing must be zero-based or one-based, did you mean 'zero-based'\?/],
    ['--timestep past T', ['schedules', '--path', 'ddpm-linear', '--timestep', '1000'], /--timestep must be an integer from -1 to 999 \(zero-based, T = 1000\)/],
    ['--num-steps 0', ['schedules', '--path', 'ddpm-linear', '--num-steps', '0'], /--num-steps must be an integer >= 1 near '0'/],
    ['a parameter without a schedule', ['schedules', '--beta-max', '12'], /--beta-max needs a schedule to apply to: give --path NAME/],
    ['--t on karras', ['schedules', '--schedule', 'karras', '--t', '3'], /--t does not apply to karras: give --timestep i/],
    ['karras index past the end', ['schedules', '--schedule', 'karras', '--num-steps', '5', '--timestep', '6'], /--timestep must be an integer from 0 to 5 \(karras, --num-steps 5\)/],
    ['--t 2 on vp-sde', ['schedules', '--name', 'vp-sde', '--t', '2'], /vp-sde\.alpha: argument 't' = 2 must lie in \[0, 1\]/],
    ['--t -1 on edm', ['schedules', '--name', 'edm', '--t', '-1'], /edm\.alpha: argument 't' = -1 must lie in \[0\.002, 80\]/],
    ['huge --t, no schedule fits', ['schedules', '--t', '1e9'], /--t 1000000000 lies outside the domain of every schedule/],
    ['--t 0.5 on a discrete schedule', ['schedules', '--name', 'ddpm-linear', '--t', '0.5'], /ddpm-linear\.abar: argument 'tIndex' = 0\.5 must be an integer in \[0, 1000\]/],
    ['--t 2000 on a discrete schedule', ['schedules', '--name', 'ddpm-cosine', '--t', '2000'], /ddpm-cosine\.abar: argument 'tIndex' = 2000 must be an integer/],
    ['unknown schedule', ['schedules', '--name', 'nope'], /unknown schedule 'nope' \(known: vp-sde/],
    ['stray argument', ['schedules', 'extra'], /unexpected argument near 'extra'/],
    ['value on a boolean flag', ['schedules', '--json=1'], /flag --json takes no value/],
  ],
  convert: [
    ['missing --t', [...CONVERT], /missing --t/],
    ['no schedule', ['convert', '--from', 'eps', '--to', 'data', '--value', '1', '--x', '1', '--t', '0.5'], /missing the schedule: give --path NAME/],
    ['missing --value', ['convert', '--from', 'eps', '--to', 'data', '--x', '1', '--path', 'vp-sde', '--t', '0.5'], /missing --value/],
    ['x0, ambiguous across conventions', [...CONVERT, '--t', '0.5', '--from', 'x0'], /--from: 'x0' is the data in the diffusion convention \(DDPM's x_0\) but the noise in flow_matching's/],
    ['vectors of two lengths', [...CONVERT, '--t', '0.5', '--value', '1,2', '--x', '1,2,3'], /--value has 2 coordinates but --x has 3/],
    ['a vector with a bad entry', [...CONVERT, '--t', '0.5', '--value', '1,zwei'], /flag --value needs a number or a comma-separated list of numbers, got '1,zwei' near 'zwei'/],
    ['--timestep on a path', [...CONVERT, '--timestep', '3'], /--timestep does not apply to vp-sde \(a continuous path: give --t\)/],
    ['missing --timestep', [...CONVERT, '--path', 'diffusers:DDPM'], /missing --timestep/],
    ['velocity on a discrete schedule', ['convert', '--from', 'eps', '--to', 'velocity', '--value', '1', '--x', '1', '--path', 'ddpm-linear', '--timestep', '3'], /velocity needs dAlpha and dSigma, which the discrete schedule ddpm-linear does not define/],
    ['--timestep before the data end', [...CONVERT, '--path', 'ddpm-linear', '--timestep', '-2'], /--timestep must be an integer from -1 to 999/],
    ['one-based --timestep past T', [...CONVERT, '--path', 'ddpm-linear', '--indexing', 'one-based', '--timestep', '1001'], /--timestep must be an integer from 0 to 1000 \(one-based, T = 1000\)/],
    ['data at the data end of a discrete schedule', ['convert', '--from', 'data', '--to', 'eps', '--value', '1', '--x', '1', '--path', 'ddpm-linear', '--timestep', '-1'], /dataToEps: argument 'sigma' = 0 must be finite and non-zero/],
    ['karras at sigma = 0', ['convert', '--from', 'eps', '--to', 'data', '--value', '1', '--x', '1', '--schedule', 'karras', '--timestep', '10'], /--timestep must be an integer from 0 to 9 \(the index of a karras sigma > 0, --num-steps 10\)/],
    ['--t 2', [...CONVERT, '--t', '2'], /vp-sde\.alpha: argument 't' = 2 must lie in \[0, 1\]/],
    ['--t NaN', [...CONVERT, '--t', 'NaN'], /flag --t needs a number, got 'NaN'/],
    ['--value abc', [...CONVERT, '--t', '0.5', '--value', 'abc'], /flag --value needs a number or a comma-separated list of numbers, got 'abc'/],
    ['unknown path', [...CONVERT, '--t', '0.5', '--path', 'nope'], /unknown schedule 'nope' \(known: vp-sde/],
    ['a discrete schedule at a time', [...CONVERT, '--t', '0.5', '--path', 'ddpm-linear'], /--t does not apply to ddpm-linear: give --timestep K \(with --indexing\)/],
    ['unknown parameterization', ['convert', '--from', 'epsilonn', '--to', 'data', '--value', '1', '--x', '1', '--t', '0.5'], /--from must be one of eps, data, vPred, score, velocity \(or v, .*\), did you mean 'epsilon'\? near 'epsilonn'/],
    ['stray argument', [...CONVERT, '--t', '0.5', 'extra'], /convert: unexpected argument near 'extra'/],
    ['an overflowing result', ['convert', '--from', 'eps', '--to', 'data', '--value', '1e308', '--x', '1', '--t', '0.5', '--path', 'vp-sde'], /epsToData: argument 'value' = 1e\+308 gives a non-finite result \(-Infinity\)/],
    ['velocity where dSigma is infinite', ['convert', '--from', 'eps', '--to', 'velocity', '--value', '1', '--x', '1', '--t', '0', '--path', 'vp-sde'], /vp-sde\.dSigma: argument 't' = 0 gives a non-finite value \(Infinity\)/],
    ['division by sigma = 0', ['convert', '--from', 'score', '--to', 'eps', '--value', '1', '--x', '1', '--t', '1', '--path', 'rectified-flow'], /scoreToEps: argument 'sigma' = 0 must be finite and non-zero/],
  ],
  check: [
    ['no equation', ['check'], /exactly one quoted equation 'lhs = rhs', got 0 arguments/],
    ['malformed expression', ['check', 'x + = 1'], /<equation>:1:5: expected a number, symbol or '\(' but found end of input/],
    ['unknown function', ['check', 'foo(x) = 1'], /<equation>:1:1: unknown function 'foo'/],
    ['two equals signs', ['check', 'x = y = z'], /<equation>:1:7: expected exactly one '='/],
    ['--seed 1.5', ['check', 'x = x', '--seed', '1.5'], /--seed must be an integer from 0 to 2147483647 near '1\.5'/],
    ['--points 0', ['check', 'x = x', '--points', '0'], /--points must be an integer from 1 to 100000 near '0'/],
    ['huge --points', ['check', 'x = x', '--points', '1e9'], /--points must be an integer from 1 to 100000 near '1000000000'/],
    ['empty interval', ['check', 'x = x', '--where', 'x in (1,0)'], /<--where>:1:6: bad domain: the interval is empty/],
    ['unreadable assumption', ['check', 'x = x', '--where', 'garbage!!'], /<--where>:1:1: cannot read assumption/],
  ],
  verify: [
    ['missing file', ['verify', missing], /missing\.md: no such file or folder/],
    ['binary file', ['verify', binary], /binary\.md: not a text file/],
    ['empty file', ['verify', empty], /empty\.md:1: not a derivation file: the file is empty/],
    ['folder without derivations', ['verify', folder], /a-folder: no derivation files \(\*\.md\) in this folder/],
    ['not a derivation', ['verify', plain], /plain\.txt:1: not a derivation file: it does not start with a --- front matter block/],
    ['unknown claim id', ['verify', '--only', 'nope', '--no-mc'], /no claim with id 'nope'/],
    ['--seed 1.5', ['verify', '--seed', '1.5'], /--seed must be a non-negative integer near '1\.5'/],
    ['--time-budget abc', ['verify', '--time-budget', 'abc'], /flag --time-budget needs a number, got 'abc'/],
    ['missing value of --json', ['verify', '--json'], /flag --json needs a value/],
    ['report in a missing folder', ['verify', '--only', 'score-noise', '--no-mc', '--quiet', '--json', join(noDir, 'r.json')], /no[/\\]such[/\\]folder[/\\]r\.json: cannot write the JSON report: folder .*: no such file or folder/],
    ['report onto a folder, checked before any claim', ['verify', missing, '--report', folder], /a-folder: cannot write the HTML report: it is a folder, not a file/],
    ['JUnit file in a missing folder', ['verify', missing, '--junit', join(noDir, 'r.xml')], /r\.xml: cannot write the JUnit report: folder/],
    ['--time-budget 0', ['verify', '--time-budget', '0'], /--time-budget must be a positive number of milliseconds near '0'/],
    ['--time-budget -5', ['verify', '--time-budget', '-5'], /--time-budget must be a positive number of milliseconds near '-5'/],
  ],
  scan: [
    ['no file', ['scan'], /scan: give at least one file/],
    ['missing file', ['scan', missing], /missing\.md: cannot read the file: no such file or folder/],
    ['binary file', ['scan', binary], /binary\.md: the file is not a text file \(binary or invalid UTF-8 content\)/],
    ['a folder', ['scan', folder], /a-folder: the file is a folder, expected a file/],
    ['missing --symbols file', ['scan', paper, '--symbols', missing], /missing\.md: cannot read the symbols file: no such file or folder/],
    ['a folder as --symbols', ['scan', paper, '--symbols', folder], /a-folder: the symbols file is a folder/],
    ['malformed YAML', ['scan', paper, '--symbols', badYaml], /bad\.yaml:2: bad YAML front matter/],
    ['bad domain in YAML', ['scan', paper, '--symbols', badDomain], /^(?![\s\S]*<--where>)[^\n]*bad-domain\.yaml:2:1: symbol 'a': bad domain: expected '\(a,b\)'[^\n]* near '\(0,1'\n?$/],
    ['--where without a colon', ['scan', paper, '--where', 'a'], /--where needs 'LATEX: DOMAIN' clauses near 'a'/],
    ['unsupported LaTeX in --where', ['scan', paper, '--where', '\\foo{: real'], /unknown macro \\foo/],
    ['--seed 1.5', ['scan', paper, '--seed', '1.5'], /--seed must be a non-negative integer near '1\.5'/],
    ['--seed -4', ['scan', paper, '--seed', '-4'], /--seed must be a non-negative integer near '-4'/],
  ],
  sample: [
    ['no target', ['sample', '--sampler', 'ddim'], /--target and --sampler are required/],
    ['unknown target', [...SAMPLE, '--sampler', 'ddim', '--target', 'nope'], /unknown target 'nope' \(known: gaussian-1d/],
    ['unknown sampler', [...SAMPLE, '--sampler', 'nope'], /unknown sampler 'nope' \(known: ddpm, ddim/],
    ['unknown schedule', [...DDIM, '--schedule', 'nope'], /unknown schedule 'nope' \(known: ddpm-linear, ddpm-cosine\)/],
    ['unknown path', [...DDIM, '--path', 'nope'], /unknown path 'nope'/],
    ['unknown grid', [...DDIM, '--grid', 'nope'], /unknown grid 'nope' \(known: uniform, quadratic, karras\)/],
    ['unknown backend', [...DDIM, '--backend', 'nope'], /unknown backend 'nope'/],
    ['unknown init', [...DDIM, '--init', 'nope'], /--init must be exact or prior near 'nope'/],
    ['--steps abc', [...DDIM, '--steps', 'abc'], /flag --steps needs a number, got 'abc'/],
    ['--steps 0', [...DDIM, '--steps', '0'], /--steps must be an integer >= 1 near '0'/],
    ['--n -5', [...DDIM, '--n', '-5'], /--n must be an integer >= 1 near '-5'/],
    ['--seed 1.5', [...DDIM, '--seed', '1.5'], /--seed must be an integer >= 0 near '1\.5'/],
    ['huge --n', [...DDIM, '--n', '1e12'], /argument 'n' = 1000000000000 is too large: n \* d = 1000000000000 state values exceeds/],
    ['huge --steps', [...SAMPLE, '--sampler', 'pf-ode-euler', '--steps', '1e12'], /argument 'numSteps' = 1000000000000 must be <= 1000000/],
    ['--steps beyond the discrete schedule', [...DDIM, '--steps', '2000'], /'numSteps' = 2000 must be <= 1000, the number of step indices from 1000 to 0/],
    ['karras grid on ddpm-linear merging indices', [...DDIM, '--steps', '10', '--grid', 'karras'], /karras grid: argument 'numSteps' = 10 is too many for the discrete schedule: times 8 and 9 both round to step index 1/],
    ['quadratic grid on ddpm-linear merging indices', [...DDIM, '--steps', '100', '--grid', 'quadratic'], /quadratic grid: argument 'numSteps' = 100 is too many .* round to step index 0/],
    ['karras grid from alpha = 0', [...SAMPLE, '--sampler', 'fm-euler', '--grid', 'karras'], /karras grid: argument 'tStart' = 0 has noise level sigma\/alpha = Infinity/],
    ['--t-start out of range', [...SAMPLE, '--sampler', 'pf-ode-euler', '--t-start', '2'], /timeGrid: argument 'tStart' = 2 must be finite and in \[0, 1\]/],
    ['fractional --t-start on a discrete schedule', [...DDIM, '--t-start', '0.5'], /argument 'tStart' = 0\.5 must be an integer step index/],
    ['--t-start = --t-end', [...DDIM, '--t-start', '5', '--t-end', '5'], /argument 'tEnd' = 5 must differ from tStart = 5/],
    ['--t-end out of range', [...DDIM, '--t-end', '-1'], /argument 'tEnd' = -1 must be finite and in \[0, 1000\]/],
    ['reversed flow grid', [...SAMPLE, '--sampler', 'fm-euler', '--t-start', '1', '--t-end', '0'], /'tStart -> tEnd' = \[1,0\] must run from the noise end toward the data end \(0 -> 1\) for 'fm-euler'/],
    ['reversed discrete grid', [...DDIM, '--t-start', '0', '--t-end', '1000'], /must run from the noise end toward the data end \(1000 -> 0\) for 'ddim'/],
    ['--eta on a sampler without eta', [...SAMPLE, '--sampler', 'ddpm', '--eta', '0.5'], /--eta applies only to ddim and eta-family, not to 'ddpm'/],
    ['--eta out of range', [...DDIM, '--eta', '-1'], /ddim: argument 'eta' = -1 must lie in \[0, 1\]/],
    ['huge --threads', [...DDIM, '--threads', '100000'], /--threads must be an integer from 1 to 256 near '100000'/],
    ['--threads on a tfjs backend', [...DDIM, '--threads', '2', '--backend', 'tfjs-cpu'], /--threads applies to the js and wasm-simd backends only, not 'tfjs-cpu'/],
    ['path and schedule', [...DDIM, '--path', 'vp-sde', '--schedule', 'ddpm-linear'], /give a path or a schedule, not both/],
    ['flow sampler on a discrete schedule', [...SAMPLE, '--sampler', 'fm-euler', '--schedule', 'ddpm-linear'], /sampler 'fm-euler' needs a continuous path, not a discrete schedule/],
    ['--out with another extension', [...DDIM, '--out', join(dir, 's.txt')], /--out must end in \.json or \.csv/],
    ['--out in a missing folder', [...DDIM, '--out', join(noDir, 's.json')], /s\.json: cannot write the samples file: folder '.*folder': no such file or folder/],
    ['--out is a folder', [...DDIM, '--out', folderJson], /out-folder\.json: cannot write the samples file: it is a folder, not a file/],
    ['stray argument', [...DDIM, 'extra'], /sample: unexpected argument near 'extra'/],
  ],
  run: [
    ['no experiment', ['run'], /expected exactly one experiment name/],
    ['unknown experiment', ['run', 'nope'], /unknown experiment 'nope' \(known: sampler-recovers-data/],
    ['--samples abc', [...RUN, '--samples', 'abc'], /flag --samples needs a number, got 'abc'/],
    ['--samples -5', [...RUN, '--samples', '-5'], /parameter 'samples' must be >= 1 near '-5'/],
    ['--samples 1.5', [...RUN, '--samples', '1.5'], /parameter 'samples' must be an integer near '1\.5'/],
    ['huge --samples', [...RUN, '--samples', '1e12'], /argument 'n' = 1000000000000 is too large/],
    ['--seed 1.5', [...RUN, '--seed', '1.5'], /--seed must be a non-negative integer near '1\.5'/],
    ['unknown backend', [...RUN, '--backend', 'nope'], /unknown backend 'nope'/],
    ['--param without =', [...RUN, '--param', 'foo'], /--param needs the form name=value near 'foo'/],
    ['unknown --param', [...RUN, '--param', 'foo=1'], /unknown parameter 'foo' \(known: target, path, samples, steps\)/],
    ['--param samples=NaN', [...RUN, '--param', 'samples=NaN'], /parameter 'samples' must be an integer near 'NaN'/],
    ['--samples on an experiment without', ['run', 'cnf-likelihood', '--samples', '10'], /experiment 'cnf-likelihood' has no 'samples' parameter/],
    ['--shard without --shards', [...RUN, '--shard', '0', '--out', join(dir, 'p.json')], /--shard needs --shards/],
    ['--shards on an experiment without units', [...RUN, '--shards', '2'], /experiment 'ddim-is-euler' does not split into shards/],
    ['--out of a shard in a missing folder', ['run', 'sb-sde-marginals', '--shards', '2', '--shard', '0', '--out', join(noDir, 'p.json')], /p\.json: cannot write the shard file: folder '.*folder': no such file or folder/],
    ['reversed --seeds', [...RUN, '--seeds', '9-3'], /--seeds needs a range A-B of non-negative integers with A <= B near '9-3'/],
  ],
  merge: [
    ['no files', ['merge'], /give the shard files to merge/],
    ['missing file', ['merge', missing], /missing\.md: cannot read the shard file: no such file or folder/],
    ['binary file', ['merge', binary], /binary\.md: the shard file is not a text file/],
    ['a folder', ['merge', folder], /a-folder: the shard file is a folder, expected a file/],
    ['not JSON', ['merge', plain], /plain\.txt: not a flowproof shard file/],
    ['another JSON format', ['merge', wrongFormat], /wrong-format\.json: not a flowproof shard file \(schema/],
    ['--out in a missing folder', ['merge', wrongFormat, '--out', join(noDir, 'r.json')], /r\.json: cannot write the result file: folder '.*folder': no such file or folder/],
  ],
  slurm: [
    ['no experiment', ['slurm'], /expected exactly one experiment name/],
    ['unknown experiment', ['slurm', 'nope', '--shards', '2'], /unknown experiment 'nope'/],
    ['no --shards', ['slurm', 'sb-sde-marginals', '--dry-run'], /--shards N \(1\.\.100000\) is required/],
    ['--shards 0', ['slurm', 'sb-sde-marginals', '--shards', '0', '--dry-run'], /--shards N \(1\.\.100000\) is required near '0'/],
    ['an experiment without units', ['slurm', 'tweedie-score', '--shards', '2', '--dry-run'], /experiment 'tweedie-score' does not split into shards/],
    ['--seed and --seeds', ['slurm', 'sb-sde-marginals', '--shards', '2', '--seed', '1', '--seeds', '1-3', '--dry-run'], /give --seed or --seeds, not both/],
    ['bad --seeds', ['slurm', 'tweedie-score', '--shards', '2', '--seeds', '1-x', '--dry-run'], /--seeds needs a range A-B/],
    ['--sbatch-arg without --', ['slurm', 'sb-sde-marginals', '--shards', '2', '--sbatch-arg', 'qos=low', '--dry-run'], /--sbatch-arg takes an sbatch option such as --qos=long near 'qos=low'/],
  ],
  conform: [
    ['no module', ['conform'], /conform needs exactly one module path/],
    ['missing module', ['conform', join(dir, 'nope.js')], /nope\.js: module not found/],
    ['a folder as module', ['conform', folder], /a-folder: module not found: the path is a folder/],
    ['wrong extension', ['conform', plain], /plain\.txt: cannot load '\.txt' files/],
    ['JS syntax error', ['conform', jsSyntax], /syntax\.cjs: the module failed to load: .+ \(line 1(, column \d+)?\)$/m],
    ['module throws', ['conform', jsThrows], /throws\.mjs: the module failed to load: boom in module \(line 3, column 7\)/],
    ['TS syntax error', ['conform', tsSyntax], /syntax\.ts: the module failed to load: Unexpected ";" \(line 1, column 16\)/],
    ['no meta', ['conform', noMeta], /no-meta\.mjs: the module must export its declared conventions/],
    ['--runs 0', ['conform', noMeta, '--runs', '0'], /--runs must be a positive integer near '0'/],
    ['--seed 1.5', ['conform', noMeta, '--seed', '1.5'], /--seed must be an integer >= 0 near '1\.5'/],
    ['--alpha 2', ['conform', noMeta, '--alpha', '2'], /--alpha must lie in \(0, 1\)/],
    ['missing vectors file', ['conform', '--vectors', missing], /missing\.md: cannot read the vectors file: no such file or folder/],
    ['binary vectors file', ['conform', '--vectors', binary], /binary\.md: the vectors file is not a text file/],
    ['a folder as vectors file', ['conform', '--vectors', folder], /a-folder: the vectors file is a folder, expected a file/],
    ['empty vectors file', ['conform', '--vectors', empty], /empty\.md:1:1: not valid JSON: .* near 'end of file'/],
    ['text vectors file', ['conform', '--vectors', plain], /plain\.txt:1:1: not valid JSON: .* near 'hello'$/m],
    ['truncated JSON', ['conform', '--vectors', truncatedJson], /truncated\.json:1:5: not valid JSON/],
    ['wrong format', ['conform', '--vectors', wrongFormat], /wrong-format\.json: format must be 'flowproof-vectors'/],
    ['JUnit file in a missing folder', ['conform', '--vectors', wrongFormat, '--junit', join(noDir, 'j.xml')], /j\.xml: cannot write the JUnit file: folder '.*folder': no such file or folder/],
    ['module and vectors', ['conform', noMeta, '--vectors', wrongFormat], /give either a module or --vectors, not both/],
  ],
  vectors: [
    ['no --out', ['vectors'], /missing --out FILE/],
    ['--out in a missing folder', ['vectors', '--out', join(noDir, 'v.json')], /v\.json: cannot write the vectors file: folder '.*folder': no such file or folder/],
    ['--out is a folder', ['vectors', '--out', folder], /a-folder: cannot write the vectors file: it is a folder, not a file/],
    ['--seed 1.5', ['vectors', '--out', '-', '--seed', '1.5'], /--seed must be an integer >= 0 near '1\.5'/],
    ['--seed -1', ['vectors', '--out', '-', '--seed', '-1'], /--seed must be an integer >= 0 near '-1'/],
    ['huge --seed', ['vectors', '--out', '-', '--seed', '1e300'], /--seed must be an integer >= 0 near '1e\+300'/],
    ['stray argument', ['vectors', '--out', '-', 'extra'], /vectors takes no positional arguments near 'extra'/],
  ],
};

describe('bad input to every CLI command', () => {
  it('covers every registered command', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  for (const [command, cases] of Object.entries(CASES)) {
    // Every command also rejects an unknown flag and a flag without its value.
    // prettier-ignore
    const all: Case[] = [
      ...cases,
      ['unknown flag', [command, '--bogus-flag'], new RegExp(`unknown flag --bogus-flag \\(see 'flowproof ${command} --help'\\)`)],
    ];
    describe(command, () => {
      it.each(all)('%s: exit 2, one line naming the piece', async (_label, args, message) => {
        const code = await main(args);
        expect(code, io.err).toBe(2);
        expect(io.err).toMatch(message);
        expect(io.err.startsWith(`flowproof ${command}: `)).toBe(true);
        // One line, said once: no stack trace, no Error-class dump, no doubled command prefix.
        expect(io.err.trimEnd().split('\n')).toHaveLength(1);
        expect(io.err).not.toMatch(/\n\s+at |internal error|^\w*Error:/m);
        expect(io.err).not.toContain(`${command}: ${command}:`);
        expect(io.out).not.toMatch(/\bNaN\b/);
      });
    });
  }

  it('schedules --t without --name shows the schedules whose domain holds t and names the others', async () => {
    expect(await main(['schedules', '--t', '0.5'])).toBe(0);
    expect(io.out).toMatch(/vp-sde\s+diffusion\s+0\.5/);
    expect(io.out).toContain(
      'Not shown, t = 0.5 is outside their domain: ddpm-linear (step index 0..1000), ddpm-cosine (step index 0..1000)',
    );
    io.out = '';
    expect(await main(['schedules', '--t', '500', '--json'])).toBe(0);
    const o = JSON.parse(io.out);
    expect(o.discrete.map((r: { name: string }) => r.name)).toEqual(['ddpm-linear', 'ddpm-cosine']);
    expect(o.continuous).toEqual([]);
    expect(o.omitted[0]).toEqual({ name: 'vp-sde', domain: 't in [0, 1]' });
  });

  it('convert at t = 0 on vp-sde: eps -> data needs no derivative, so the infinite dSigma is no error', async () => {
    expect(await main([...CONVERT, '--t', '0', '--json'])).toBe(0);
    expect(JSON.parse(io.out)).toEqual({
      from: 'eps',
      to: 'data',
      value: 0.3,
      x: 1,
      path: 'vp-sde',
      convention: 'diffusion',
      params: { betaMin: 0.1, betaMax: 20 },
      t: 0,
      alpha: 1,
      sigma: 0,
      result: 1,
    });
  });

  it('a karras grid on a discrete schedule runs when the indices do not merge (integer noise-level search)', async () => {
    expect(await main([...DDIM, '--grid', 'karras', '--t-end', '1', '--json'])).toBe(0);
    const o = JSON.parse(io.out);
    expect(o.numSteps).toBe(5);
    expect(Number.isFinite(o.moments[0].mean)).toBe(true);
  });

  it('a diffusion sampler on a flow path starts 1e-3 inside the noise end (alpha = 0 there)', async () => {
    expect(await main([...SAMPLE, '--sampler', 'pf-ode-euler', '--path', 'rectified-flow', '--json'])).toBe(
      0,
    );
    expect(Number.isFinite(JSON.parse(io.out).moments[0].mean)).toBe(true);
  });
});

describe('bad input through the real entry point', () => {
  it.each([
    [['sample', '--target', 'gaussian-1d', '--sampler', 'ddim', '--n', '1e15', '--quiet'], /is too large/],
    [['vectors', '--out', join(noDir, 'v.json')], /cannot write the vectors file/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j: exit 2, no stack trace', (args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
