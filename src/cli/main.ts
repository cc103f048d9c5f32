// The CLI entry: dispatches to one module per command. The only place (with src/cli/*) that does
// process I/O. Exit codes (exit.ts): 0 passed, 1 rejected, 2 bad input, 3 inconclusive, 70 a bug.
import { FlowproofError, NumericalError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { COMMANDS } from './commands.js';
import { EXIT } from './exit.js';
import { fsReason } from '../verify/text-file.js';
import { toolVersion } from '../verify/index.js';

export const USAGE = `flowproof <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'flowproof <command> --help' for a command's options; 'flowproof --version' prints the version.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name === undefined ? EXIT.badInput : EXIT.passed;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`flowproof ${toolVersion()}\n`);
    return EXIT.passed;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(
      `flowproof: unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))}\n\n${USAGE}\n`,
    );
    return EXIT.badInput;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // A numerical failure outside an experiment's result (e.g. one shard's run): it decides nothing.
    if (err instanceof NumericalError) {
      process.stderr.write(`flowproof ${name}: inconclusive: ${err.message}\n`);
      return EXIT.inconclusive;
    }
    if (err instanceof FlowproofError) {
      // Messages built for library use often start with the command's name; do not say it twice.
      const msg = err.message.startsWith(`${name}: `) ? err.message.slice(name.length + 2) : err.message;
      process.stderr.write(`flowproof ${name}: ${msg}\n`);
      return EXIT.badInput;
    }
    // Safety net: a command that let a file-system error on a user-given path escape (an output file
    // in a missing folder, a folder given as a file) has bad input, not an internal bug.
    const fsPath = (err as { path?: unknown; syscall?: unknown } | null)?.path;
    if (typeof fsPath === 'string' && typeof (err as { syscall?: unknown }).syscall === 'string') {
      process.stderr.write(`flowproof ${name}: ${fsPath}: ${fsReason(err)}\n`);
      return EXIT.badInput;
    }
    // Safety net: a size given on the command line too large to allocate.
    if (err instanceof RangeError && /array length|allocation failed/i.test(err.message)) {
      process.stderr.write(
        `flowproof ${name}: the requested size does not fit in memory (${err.message}); use fewer samples or steps\n`,
      );
      return EXIT.badInput;
    }
    // An internal bug: say so plainly, without a stack trace unless asked for.
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`flowproof ${name}: internal error: please report (${msg})\n`);
    if (process.env.FLOWPROOF_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return EXIT.internal;
  }
}
