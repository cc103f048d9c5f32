// The command registry: one entry per command, each implemented in its own module of src/cli/.
import type { Command } from './command.js';
import { schedulesCommand } from './schedules.js';
import { convertCommand } from './convert.js';
import { runCommand } from './run.js';
import { conformCommand } from './conform.js';
import { vectorsCommand } from './vectors.js';
import { checkCommand } from './check.js';
import { verifyCommand } from './verify.js';
import { scanCommand } from './scan.js';
import { sampleCommand } from './sample.js';
import { mergeCommand } from './merge.js';
import { slurmCommand } from './slurm.js';

export const COMMANDS: Record<string, Command> = {
  schedules: schedulesCommand,
  convert: convertCommand,
  run: runCommand,
  conform: conformCommand,
  vectors: vectorsCommand,
  check: checkCommand,
  verify: verifyCommand,
  scan: scanCommand,
  sample: sampleCommand,
  merge: mergeCommand,
  slurm: slurmCommand,
};
