/**
 * The command line: `npm run cli -- COMMAND [options]`. Exit codes: 0 done, 1 the run failed
 * (e.g. no WebGPU), 2 bad command line (or a race too large for this GPU). Errors are one line on stderr.
 */
import { RaceTooLargeError } from '../race/device-fit';
import { UsageError } from './args';
import { kProgram, type CliCommand } from './command';
import { initHistogramsCommand } from './init-histograms';
import { mnistCommand } from './mnist';
import { trajectoryCommand } from './trajectory';
import { errorMessage } from '../util/error-message';

/** Every command; adding one is one file in src/cli/ plus one line here. */
const kCommands: readonly CliCommand[] = [trajectoryCommand, initHistogramsCommand, mnistCommand];

const commandNames = (): string => [...kCommands.map((c) => c.name), 'help'].join(', ');

function topLevelHelp(): string {
  const width = Math.max(...kCommands.map((c) => c.name.length), 'help'.length);
  return [
    `Usage: ${kProgram} COMMAND [options]`,
    '',
    'Commands:',
    ...kCommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  List the commands, or show one command's options: help COMMAND`,
    '',
    `Run '${kProgram} COMMAND --help' for a command's options.`,
  ].join('\n');
}

function findCommand(name: string): CliCommand {
  const command = kCommands.find((c) => c.name === name);
  if (!command) throw new UsageError(`Unknown command '${name}'. Commands: ${commandNames()}`);
  return command;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    if (rest.length > 1) throw new UsageError(`help takes at most one command, got ${rest.join(' ')}`);
    process.stdout.write(`${rest.length ? findCommand(rest[0]).help() : topLevelHelp()}\n`);
    return 0;
  }
  return findCommand(name).run(rest);
}

/** One line, whatever the error: a multi-line message (a native loader's) is joined. */
function reportError(error: unknown): number {
  const message = errorMessage(error);
  const usage = error instanceof UsageError;
  process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ').trim()}${usage ? ` (see --help)` : ''}\n`);
  // A race too large for this GPU is bad input too: fewer racers or a smaller batch will run.
  return usage || error instanceof RaceTooLargeError ? 2 : 1;
}

// Dawn may keep the event loop alive after the device is destroyed: exit explicitly once the
// output is flushed (the write callback runs after the data reached the pipe or file).
const code = await main(process.argv.slice(2)).catch(reportError);
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((done) => s.write('', done))));
process.exit(code);
