// `flowproof slurm EXP --shards N ...`: a sharded run (or calibration) as a Slurm job array plus a merge job
// that depends on it. flowproof writes the two batch scripts and submits them with sbatch; Slurm does the
// scheduling. --dry-run prints the scripts instead.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { parseSeedRange } from '../experiments/calibration.js';
import { getExperiment } from '../experiments/index.js';
import { shardable } from '../experiments/shards.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { fsReason } from '../verify/text-file.js';
import { writeTextFile } from './io.js';

const HELP = `flowproof slurm <experiment> --shards N [--seed S | --seeds A-B] [--samples N] [--param name=value]...
        [--thorough] [--backend B] [--dir D] [--partition P] [--time T] [--cpus-per-task C] [--mem M]
        [--account A] [--sbatch-arg ARG]... [--flowproof CMD] [--dry-run] [--wait]

Writes D/shard.sbatch, a job array of N tasks (sbatch --array=0-(N-1)) where task I runs
'flowproof run <experiment> --shards N --shard I --out D/part-I.json', and D/merge.sbatch, which runs
'flowproof merge D/part-*.json --out D/result.json' once every task succeeded
(--dependency=afterok:<array job>), then submits both with sbatch and prints the job ids.
With --seeds A-B the array runs a calibration over those seeds instead, split by seed range.
--dir (default ./flowproof-slurm-<experiment>-<seed or seeds>) must be on a file system the compute
nodes share; logs go to D/logs/. --flowproof is the command that starts flowproof on a node (default:
this installation, '<node> <path>/bin/flowproof.js'). --wait blocks until the merge job ends, prints its
result and exits with its code. --dry-run prints the scripts and the sbatch commands without writing or
submitting anything. SLURM_CONF and the rest of the environment pass through to sbatch and the jobs.`;

/** A word for a POSIX shell: single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const DEFAULT_FLOWPROOF = () => [
  process.execPath,
  fileURLToPath(new URL('../../bin/flowproof.js', import.meta.url)),
];

export interface SlurmPlan {
  dir: string;
  shardScript: string;
  mergeScript: string;
}

export interface SlurmOptions {
  experiment: string;
  shards: number;
  /** Arguments of `flowproof run` shared by every task (seed or seeds, parameters, flags). */
  runArgs: string[];
  dir: string;
  flowproof: string;
  directives: string[];
}

/** The two batch scripts. */
export function slurmScripts(o: SlurmOptions): SlurmPlan {
  const q = shellQuote;
  const header = (name: string, log: string, extra: string[]) =>
    [
      '#!/bin/bash',
      `#SBATCH --job-name=${q(name)}`,
      `#SBATCH --chdir=${q(o.dir)}`,
      `#SBATCH --output=${q(`${o.dir}/logs/${log}`)}`,
      ...extra,
      ...o.directives.map((d) => `#SBATCH ${d}`),
      'set -euo pipefail',
    ].join('\n');
  const run = [o.flowproof, 'run', q(o.experiment), ...o.runArgs.map(q)].join(' ');
  const shardScript =
    header(`flowproof-${o.experiment}`, 'shard-%a.out', [`#SBATCH --array=0-${o.shards - 1}`]) +
    '\n' +
    `# Task I of the array computes shard I of ${o.shards} (a pure function of the parameters, seed and I).\n` +
    `${run} --shards ${o.shards} --shard "$SLURM_ARRAY_TASK_ID" --out ${q(o.dir)}/part-"$SLURM_ARRAY_TASK_ID".json --quiet\n`;
  const mergeScript =
    header(`flowproof-${o.experiment}-merge`, 'merge.out', []) +
    '\n' +
    `# Runs once every task of the array succeeded; the result is the single-process one, bit for bit.\n` +
    `${o.flowproof} merge ${q(o.dir)}/part-*.json --out ${q(o.dir)}/result.json --quiet\n`;
  return { dir: o.dir, shardScript, mergeScript };
}

function sbatch(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('sbatch', args, { encoding: 'utf8' });
  if (r.error) {
    const code = (r.error as { code?: string }).code;
    throw new InputError(
      code === 'ENOENT'
        ? "slurm: 'sbatch' is not on PATH: run this on a Slurm login node (or use --dry-run to get the scripts)"
        : `slurm: cannot run sbatch: ${fsReason(r.error)}`,
    );
  }
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export const slurmCommand: Command = {
  summary: 'submit a sharded run or calibration to Slurm as a job array plus a merge job',
  async run(args) {
    const a = parseArgs('slurm', args, {
      values: {
        shards: 'number',
        seed: 'number',
        seeds: 'string',
        samples: 'number',
        param: 'string',
        backend: 'string',
        dir: 'string',
        partition: 'string',
        time: 'string',
        'cpus-per-task': 'number',
        mem: 'string',
        account: 'string',
        'sbatch-arg': 'string',
        flowproof: 'string',
      },
      booleans: ['thorough', 'dry-run', 'wait', 'help'],
      repeatable: ['param', 'sbatch-arg'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length !== 1)
      throw new InputError(
        'slurm: expected exactly one experiment name (see flowproof run --list)',
        {},
        a.positional.join(' '),
      );
    const name = a.positional[0];
    getExperiment(name);
    const shards = a.values.shards;
    if (shards === undefined || !Number.isSafeInteger(shards) || shards < 1 || shards > 100000)
      throw new InputError('slurm: --shards N (1..100000) is required', {}, String(shards));
    const seeds = a.values.seeds;
    const seed = a.values.seed;
    if (seeds !== undefined && seed !== undefined)
      throw new InputError('slurm: give --seed or --seeds, not both', {}, '--seed');
    if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0))
      throw new InputError('slurm: --seed must be a non-negative integer', {}, String(seed));
    if (seeds !== undefined) parseSeedRange(seeds);
    else shardable(name); // a single run needs an experiment that splits into shards
    const runArgs = seeds !== undefined ? ['--seeds', seeds] : ['--seed', String(seed ?? 1)];
    if (a.values.samples !== undefined) runArgs.push('--samples', String(a.values.samples));
    for (const p of a.lists.param ?? []) runArgs.push('--param', p);
    if (a.values.backend !== undefined) runArgs.push('--backend', String(a.values.backend));
    if (a.booleans.thorough) runArgs.push('--thorough');
    const directives: string[] = [];
    const add = (flag: 'partition' | 'time' | 'cpus-per-task' | 'mem' | 'account') =>
      a.values[flag] !== undefined && directives.push(`--${flag}=${shellQuote(String(a.values[flag]))}`);
    (['partition', 'time', 'cpus-per-task', 'mem', 'account'] as const).forEach(add);
    for (const extra of a.lists['sbatch-arg'] ?? []) {
      if (!extra.startsWith('--'))
        throw new InputError('slurm: --sbatch-arg takes an sbatch option such as --qos=long', {}, extra);
      directives.push(extra);
    }
    const dir = resolve(a.values.dir ?? `flowproof-slurm-${name}-${seeds ?? seed ?? 1}`);
    const flowproof = a.values.flowproof ?? DEFAULT_FLOWPROOF().map(shellQuote).join(' ');
    const plan = slurmScripts({ experiment: name, shards, runArgs, dir, flowproof, directives });
    const shardPath = `${dir}/shard.sbatch`;
    const mergePath = `${dir}/merge.sbatch`;
    if (a.booleans['dry-run']) {
      process.stdout.write(
        `# ${shardPath}\n${plan.shardScript}\n# ${mergePath}\n${plan.mergeScript}\n` +
          `# submit with:\nJOB=$(sbatch --parsable ${shellQuote(shardPath)})\n` +
          `sbatch --dependency=afterok:\${JOB%%;*} --kill-on-invalid-dep=yes ${shellQuote(mergePath)}\n`,
      );
      return 0;
    }
    try {
      mkdirSync(`${dir}/logs`, { recursive: true });
    } catch (err) {
      throw new InputError(`slurm: cannot create the run folder: ${fsReason(err)}`, { file: dir });
    }
    writeTextFile(shardPath, plan.shardScript, 'batch script');
    writeTextFile(mergePath, plan.mergeScript, 'batch script');
    const array = sbatch(['--parsable', shardPath]);
    if (array.code !== 0)
      throw new InputError(`sbatch refused the array job: ${array.stderr.trim()}`, {
        file: shardPath,
      });
    const arrayId = array.stdout.trim().split(';')[0];
    const mergeArgs = ['--parsable', `--dependency=afterok:${arrayId}`, '--kill-on-invalid-dep=yes'];
    if (a.booleans.wait) mergeArgs.push('--wait');
    process.stdout.write(
      `submitted array job ${arrayId} (${shards} shards of ${name}); scripts and logs in ${dir}\n`,
    );
    const merge = sbatch([...mergeArgs, mergePath]);
    const mergeId = merge.stdout.trim().split(';')[0];
    if (!a.booleans.wait) {
      if (merge.code !== 0)
        throw new InputError(`sbatch refused the merge job: ${merge.stderr.trim()}`, {
          file: mergePath,
        });
      process.stdout.write(`submitted merge job ${mergeId} (after ${arrayId}); result: ${dir}/result.json\n`);
      return 0;
    }
    // sbatch --wait exits with the merge job's exit code, but with 0 when the job was cancelled because a
    // shard failed (afterok never satisfied): the result file is what tells.
    const log = `${dir}/logs/merge.out`;
    if (existsSync(log)) process.stdout.write(readFileSync(log, 'utf8'));
    if (!existsSync(`${dir}/result.json`)) {
      process.stderr.write(
        `flowproof slurm: the merge job ${mergeId || '(not submitted)'} did not produce a result ` +
          `(a shard failed or the merge was cancelled; sbatch exit ${merge.code}); see ${dir}/logs/` +
          `${merge.stderr.trim() ? `: ${merge.stderr.trim()}` : ''}\n`,
      );
      return 2;
    }
    return merge.code === 0 ? 0 : 1;
  },
};
