// Scale-out without a cluster: shard files written by `run --shards N --shard I --out` merge into the
// single-process result bit for bit (wall times aside) for every shardable experiment, whatever N;
// calibration shards merge into the single-process calibration; bad merges and flags are exit-2 errors
// naming the file or flag; `slurm --dry-run` prints the job array and its dependent merge job.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runExperiment } from '../../src/experiments/index.js';
import {
  decodeShard,
  encodeShard,
  mergeShards,
  runShard,
  type ShardFile,
} from '../../src/experiments/shards.js';
import { captureOutput } from '../helpers/capture.js';

const withoutTimes = (o: unknown) => JSON.stringify(o, (k, v: unknown) => (k === 'ms' ? undefined : v));

const SMALL: Record<string, Record<string, unknown>> = {
  'entropic-ot-sinkhorn': { samples: 40, sigmas: [0.5, 2], replications: 31 },
  'sb-sde-marginals': { samples: 3000, times: [0.5, 1], steps: 40 },
  'coupling-straightness': { draws: 700, batchSizes: [4] },
};

describe('shards merge to the single-process result, bit for bit', () => {
  for (const [name, params] of Object.entries(SMALL)) {
    it(`${name}: 1 process = 3 shards = 5 shards (any order)`, async () => {
      const single = await runExperiment(name, params, { seed: 9 });
      for (const n of [3, 5]) {
        const files: { path: string; file: ShardFile }[] = [];
        for (const i of [...Array(n).keys()].reverse()) {
          // Through the file format: what crosses machines is the encoded text.
          const file = decodeShard(encodeShard(await runShard(name, params, { seed: 9 }, i, n))) as ShardFile;
          files.push({ path: `part-${i}.json`, file });
        }
        expect(withoutTimes(await mergeShards(files))).toBe(withoutTimes(single));
      }
    }, 120_000);
  }

  it('Float64Arrays cross the file format exactly (-0, subnormals, extremes)', () => {
    const a = Float64Array.from([-0, 5e-324, Number.MAX_VALUE, -1 / 3, Math.PI]);
    const back = (decodeShard(encodeShard({ a })) as { a: Float64Array }).a;
    expect(back).toBeInstanceOf(Float64Array);
    expect([...back].map((x) => Object.is(x, -0) || x)).toEqual([...a].map((x) => Object.is(x, -0) || x));
  });
});

describe('the CLI: run --shards/--shard/--out, merge, run --seeds, slurm --dry-run', () => {
  const io = captureOutput();
  const dir = mkdtempSync(join(tmpdir(), 'flowproof-scale-'));
  const run = (args: string[]) => main(args);
  const params = ['--samples', '3000', '--param', 'times=1', '--seed', '4', '--quiet'];

  it('three shard files merge to what `run` prints, and `--shards 3` alone agrees', async () => {
    for (const i of [0, 1, 2])
      expect(
        await run([
          'run',
          'sb-sde-marginals',
          ...params,
          '--shards',
          '3',
          '--shard',
          String(i),
          '--out',
          join(dir, `p-${i}.json`),
        ]),
      ).toBe(0);
    io.out = '';
    expect(
      await run([
        'merge',
        ...[0, 1, 2].map((i) => join(dir, `p-${i}.json`)),
        '--json',
        '--quiet',
        '--out',
        join(dir, 'r.json'),
      ]),
    ).toBe(0);
    const merged = JSON.parse(io.out);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))).toEqual(merged);
    io.out = '';
    expect(await run(['run', 'sb-sde-marginals', ...params, '--json'])).toBe(0);
    expect(withoutTimes(JSON.parse(io.out))).toBe(withoutTimes(merged));
    io.out = '';
    expect(await run(['run', 'sb-sde-marginals', ...params, '--json', '--shards', '3'])).toBe(0);
    expect(withoutTimes(JSON.parse(io.out))).toBe(withoutTimes(merged));
  }, 120_000);

  it('bad merges are exit-2 errors naming the file', async () => {
    const p = (i: number) => join(dir, `p-${i}.json`);
    const cases: [string[], RegExp][] = [
      [[p(0), p(1)], /missing shard 2 of 3/],
      [[p(0), p(0), p(1), p(2)], /p-0\.json: shard 0 given twice/],
      [[join(dir, 'nope.json')], /nope\.json: cannot read the shard file: no such file/],
    ];
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ schema: 'something/1' }));
    cases.push([[p(0), join(dir, 'other.json')], /other\.json: not a flowproof shard file/]);
    writeFileSync(join(dir, 'text.json'), 'not json');
    cases.push([[join(dir, 'text.json')], /text\.json: not a flowproof shard file/]);
    // A shard of another seed.
    expect(
      await run([
        'run',
        'sb-sde-marginals',
        '--samples',
        '3000',
        '--param',
        'times=1',
        '--seed',
        '5',
        '--quiet',
        '--shards',
        '3',
        '--shard',
        '2',
        '--out',
        join(dir, 'q-2.json'),
      ]),
    ).toBe(0);
    cases.push([[p(0), p(1), join(dir, 'q-2.json')], /q-2\.json: a shard of a different run/]);
    for (const [files, message] of cases) {
      io.err = '';
      expect(await run(['merge', ...files, '--quiet'])).toBe(2);
      expect(io.err).toMatch(message);
      expect(io.err).not.toMatch(/\n\s+at /);
    }
  }, 120_000);

  it('scale-out flags are checked before running', async () => {
    const cases: [string[], RegExp][] = [
      [['--shard', '1', '--out', join(dir, 'x.json')], /--shard needs --shards/],
      [
        ['--shards', '2', '--shard', '2', '--out', join(dir, 'x.json')],
        /--shard must be an integer in \[0, 1\]/,
      ],
      [['--shards', '2', '--shard', '0'], /--shard needs --out/],
      [['--shards', '0'], /--shards must be a positive integer/],
      [
        ['--shards', '2', '--shard', '0', '--out', join(dir, 'missing', 'x.json')],
        /cannot write the shard file/,
      ],
      [['--seeds', '5-2'], /--seeds needs a range A-B/],
    ];
    for (const [flags, message] of cases) {
      io.err = '';
      expect(await run(['run', 'sb-sde-marginals', '--quiet', ...flags])).toBe(2);
      expect(io.err).toMatch(message);
    }
    io.err = '';
    expect(await run(['run', 'tweedie-score', '--shards', '2', '--quiet'])).toBe(2);
    expect(io.err).toMatch(
      /does not split into shards \(shardable: entropic-ot-sinkhorn, sb-sde-marginals, coupling-straightness\)/,
    );
  });

  it('a calibration split by seeds merges to the single-process calibration', async () => {
    const cal = [
      'run',
      'sb-sde-marginals',
      '--samples',
      '1000',
      '--param',
      'times=1',
      '--seeds',
      '1-5',
      '--quiet',
    ];
    for (const i of [0, 1])
      expect(
        await run([...cal, '--shards', '2', '--shard', String(i), '--out', join(dir, `c-${i}.json`)]),
      ).toBe(0);
    io.out = '';
    expect(await run(['merge', join(dir, 'c-1.json'), join(dir, 'c-0.json'), '--json'])).toBe(0);
    const merged = JSON.parse(io.out);
    io.out = '';
    expect(await run([...cal, '--json'])).toBe(0);
    expect(JSON.parse(io.out)).toEqual(merged);
    expect(merged).toMatchObject({
      experiment: 'sb-sde-marginals',
      seeds: [1, 5],
      runs: 5,
      errors: 0,
      calibrated: true,
    });
    expect(merged.levels.map((l: { alpha: number }) => l.alpha)).toEqual([0.001, 0.01, 0.05]);
  }, 120_000);

  it('slurm --dry-run prints a job array of N shards and a merge job that depends on it', async () => {
    io.out = '';
    const code = await run([
      'slurm',
      'entropic-ot-sinkhorn',
      '--shards',
      '8',
      '--seed',
      '3',
      '--param',
      'replications=400',
      '--partition',
      'short',
      '--time',
      '00:30:00',
      '--sbatch-arg',
      '--qos=low',
      '--dir',
      join(dir, 'job'),
      '--dry-run',
    ]);
    expect(code).toBe(0);
    const text = io.out;
    expect(text).toContain('#SBATCH --array=0-7');
    expect(text).toContain('#SBATCH --partition=short');
    expect(text).toContain('#SBATCH --time=00:30:00');
    expect(text).toContain('#SBATCH --qos=low');
    expect(text).toMatch(
      /run entropic-ot-sinkhorn --seed 3 --param replications=400 --shards 8 --shard "\$SLURM_ARRAY_TASK_ID" --out \S+\/part-"\$SLURM_ARRAY_TASK_ID"\.json/,
    );
    expect(text).toMatch(/merge \S+\/part-\*\.json --out \S+\/result\.json/);
    expect(text).toMatch(/sbatch --dependency=afterok:\$\{JOB%%;\*\} --kill-on-invalid-dep=yes/);
    io.out = '';
    expect(
      await run([
        'slurm',
        'tweedie-score',
        '--shards',
        '4',
        '--seeds',
        '1-100',
        '--dry-run',
        '--dir',
        join(dir, 'cal'),
      ]),
    ).toBe(0);
    expect(io.out).toMatch(/run tweedie-score --seeds 1-100 --shards 4 --shard/);
    io.err = '';
    expect(await run(['slurm', 'tweedie-score', '--shards', '4', '--dry-run'])).toBe(2);
    expect(io.err).toMatch(/does not split into shards/);
    io.err = '';
    expect(await run(['slurm', 'sb-sde-marginals', '--dry-run'])).toBe(2);
    expect(io.err).toMatch(/--shards N .* is required/);
  });
});
