// The CLI entry: dispatches to one module per command. The only place (with src/cli/*) that does
// process I/O. Exit codes: 0 success, 1 a claim failed, 2 bad input, 3 inconclusive.
import { FlowproofError } from '../core/errors.js';
import { COMMANDS } from './commands.js';

export const USAGE = `flowproof <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'flowproof <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`flowproof: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof FlowproofError) {
      process.stderr.write(`flowproof ${name}: ${err.message}\n`);
      return 2;
    }
    // An internal bug: say so plainly, without a stack trace unless asked for.
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`flowproof ${name}: internal error: ${msg}\n`);
    if (process.env.FLOWPROOF_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return 4;
  }
}
