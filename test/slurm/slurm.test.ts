// `flowproof slurm` on a real one-node Slurm cluster that this test starts (and stops by PID): a job array of
// shards plus the dependent merge job gives the single-process result bit for bit, and a calibration over
// seeds split across the array gives the single-process calibration. CI sets FLOWPROOF_REQUIRE_SLURM=1
// (.ci/run installs the packages), so there a missing package fails the test; elsewhere it is skipped with
// a notice.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCalibrationShard, mergeCalibration } from '../../src/experiments/calibration.js';
import { runExperiment } from '../../src/experiments/index.js';
import { RUN_SCHEMA } from '../../src/cli/result-text.js';
import { missingSlurmBinaries, startCluster, type Cluster } from './cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../helpers/cli-entry.ts', import.meta.url));
// The command a job runs: this checkout's CLI from source (jobs start in their run folder, so tsx by path).
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const FLOWPROOF = `${process.execPath} --import ${TSX} ${ENTRY}`;

const missing = missingSlurmBinaries();
const required = process.env.FLOWPROOF_REQUIRE_SLURM === '1';
if (missing.length > 0 && !required) {
  console.warn(
    `NOTICE: Slurm tests SKIPPED: ${missing.join(', ')} not installed ` +
      '(apt-get install --no-install-recommends slurmctld slurmd slurm-client munge); CI installs them',
  );
}

const withoutTimes = (o: unknown) => JSON.stringify(o, (k, v: unknown) => (k === 'ms' ? undefined : v));

function cli(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { ...env, FLOWPROOF_DEBUG: '' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(missing.length > 0 && !required)('flowproof slurm on a real one-node cluster', () => {
  let cluster: Cluster;
  let dir: string;

  beforeAll(async () => {
    if (missing.length > 0)
      throw new Error(`FLOWPROOF_REQUIRE_SLURM=1 but ${missing.join(', ')} not installed`);
    dir = mkdtempSync(join(tmpdir(), 'flowproof-slurm-'));
    cluster = await startCluster(join(dir, 'cluster'));
    console.log(
      `slurm: one-node cluster idle after ${cluster.startSeconds.toFixed(1)} s (pids ${cluster.pids.join(', ')})`,
    );
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    for (const pid of cluster?.pids ?? []) expect(() => process.kill(pid, 0)).toThrow(); // all gone
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a job array of 4 shards merged by the dependent job equals the single-process run bit for bit', async () => {
    const run = join(dir, 'run');
    const params = { samples: 6000, times: [0.5, 1] };
    const start = performance.now();
    const r = cli(
      [
        'slurm',
        'sb-sde-marginals',
        '--shards',
        '4',
        '--seed',
        '7',
        '--samples',
        '6000',
        '--param',
        'times=0.5,1',
        '--dir',
        run,
        '--flowproof',
        FLOWPROOF,
        '--wait',
      ],
      cluster.env,
    );
    const seconds = (performance.now() - start) / 1000;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/submitted array job \d+ \(4 shards of sb-sde-marginals\)/);
    expect(r.stdout).toMatch(/sb-sde-marginals: passed/);
    expect(
      readdirSync(run)
        .filter((f) => /^part-\d\.json$/.test(f))
        .sort(),
    ).toEqual(['part-0.json', 'part-1.json', 'part-2.json', 'part-3.json']);
    const merged = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
    const single = await runExperiment('sb-sde-marginals', params, { seed: 7 });
    expect(withoutTimes({ schema: RUN_SCHEMA, seed: 7, ...single })).toBe(withoutTimes(merged));
    // The shards really ran as separate array tasks.
    const logs = readdirSync(join(run, 'logs'));
    expect(logs.filter((f) => /^shard-\d\.out$/.test(f))).toHaveLength(4);
    console.log(
      `slurm: 4-shard array + merge of sb-sde-marginals (6000 particles) took ${seconds.toFixed(1)} s`,
    );
  }, 240_000);

  it('a calibration over seeds split across the array equals the single-process calibration', async () => {
    const run = join(dir, 'calibration');
    const r = cli(
      [
        'slurm',
        'sb-sde-marginals',
        '--shards',
        '3',
        '--seeds',
        '1-6',
        '--samples',
        '2000',
        '--param',
        'times=1',
        '--dir',
        run,
        '--flowproof',
        FLOWPROOF,
        '--wait',
      ],
      cluster.env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/calibration over seeds 1\.\.6 \(6 runs, 0 numerical errors\)/);
    const merged = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
    const local = await runCalibrationShard(
      'sb-sde-marginals',
      { samples: 2000, times: [1] },
      [1, 6],
      0,
      1,
      {},
    );
    expect(merged).toEqual(mergeCalibration([{ path: 'local', file: local }]));
  }, 240_000);

  it('a failing shard cancels the merge job, and the command says so', () => {
    const run = join(dir, 'failing');
    // The erratum formula makes the run reject, which is a result (exit 1), not a failure; a missing
    // command is a failure: every task exits 127, afterok is never satisfied and the merge is cancelled.
    const r = cli(
      [
        'slurm',
        'sb-sde-marginals',
        '--shards',
        '2',
        '--samples',
        '2000',
        '--dir',
        run,
        '--flowproof',
        '/nonexistent/flowproof',
        '--wait',
      ],
      cluster.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did not produce a result/);
    expect(existsSync(join(run, 'result.json'))).toBe(false);
  }, 240_000);
});
