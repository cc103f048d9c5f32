// A real one-node Slurm cluster for tests, started from the Debian packages (slurmctld slurmd slurm-client
// munge) without systemd: munged with its own key and socket, slurmctld and slurmd in the foreground as
// children of the test (so their PIDs are known and they are stopped by PID), every file under one temp
// folder, accounting off, scheduling without delay. Clients find it through SLURM_CONF.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const SLURM_BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'sinfo', 'squeue'];

/** The binaries of the cluster that are not on PATH. */
export function missingSlurmBinaries(): string[] {
  return SLURM_BINARIES.filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
}

/** A TCP port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Cluster {
  dir: string;
  /** The environment every Slurm client (and flowproof slurm) needs: SLURM_CONF. */
  env: NodeJS.ProcessEnv;
  pids: number[];
  /** Seconds from the first daemon's start to an idle node. */
  startSeconds: number;
  /** Stops slurmd, slurmctld and munged by PID (TERM, then KILL after 10 s). */
  stop(): Promise<void>;
}

function daemon(cmd: string, args: string[], log: string, env: NodeJS.ProcessEnv): ChildProcess {
  const fd = openSync(log, 'a');
  return spawn(cmd, args, { env, stdio: ['ignore', fd, fd] });
}

export async function startCluster(dir: string): Promise<Cluster> {
  const start = performance.now();
  for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, sub), { recursive: true });
  chmodSync(join(dir, 'munge'), 0o755); // munged refuses a socket folder writable by others
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024));
  chmodSync(key, 0o400);
  const socket = join(dir, 'munge', 'munge.socket');
  const user = userInfo().username;
  // The node line as slurmd itself detects the hardware (CPUs, sockets, memory), so it is never drained.
  const detected = spawnSync('slurmd', ['-C'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  const host = /^NodeName=(\S+)/.exec(detected)?.[1];
  if (!host) throw new Error(`slurmd -C gave no node line: ${detected}`);
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=flowproof-test',
      `SlurmctldHost=${host}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'SchedulerParameters=batch_sched_delay=0,sched_min_interval=0',
      'MpiDefault=none',
      'ReturnToService=2',
      `${detected} State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const log = (name: string) => join(dir, 'log', `${name}.out`);
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    children.push(
      daemon(
        'munged',
        [
          '-F',
          '-f',
          `--socket=${socket}`,
          `--key-file=${key}`,
          `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
          `--seed-file=${join(dir, 'munge', 'munged.seed')}`,
          `--log-file=${join(dir, 'log', 'munged.log')}`,
        ],
        log('munged'),
        env,
      ),
    );
    await waitFor(() => spawnSync('sh', ['-c', `test -S ${socket}`]).status === 0, 10_000, 'munged socket');
    children.push(daemon('slurmctld', ['-D', '-i'], log('slurmctld'), env));
    children.push(daemon('slurmd', ['-D'], log('slurmd'), env));
    await waitFor(
      () => spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout.trim() === 'idle',
      60_000,
      'an idle node',
      () => children.some((c) => c.exitCode !== null),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    dir,
    env,
    pids: children.map((c) => c.pid!),
    startSeconds: (performance.now() - start) / 1000,
    stop,
  };
}

async function waitFor(ok: () => boolean, ms: number, what: string, failed: () => boolean = () => false) {
  const deadline = performance.now() + ms;
  while (!ok()) {
    if (failed()) throw new Error(`a Slurm daemon exited while waiting for ${what} (see its log)`);
    if (performance.now() > deadline) throw new Error(`no ${what} after ${ms / 1000} s`);
    await sleep(200);
  }
}
