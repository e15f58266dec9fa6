/**
 * What a CLI command is. Adding one = a file that exports `defineCommand({...})` plus one line in
 * kCommands (main.ts); parsing, `--help` and error reporting come from here.
 */
import { formatOptions, parseOptions, type OptionSpecs, type ParsedOptions } from './args';

/** How the CLI is started, for help texts: `npm run cli --` in the repository, else the installed bin. */
export const kProgram = process.env.npm_lifecycle_event === 'cli' ? 'npm run cli --' : 'optimizer-race';

export interface CliCommand {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  help(): string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

export interface CommandDefinition<S extends OptionSpecs> {
  name: string;
  summary: string;
  /** Paragraphs printed between the usage line and the options. */
  description?: string;
  options: S;
  /** Full argument lists (after the command name), shown in the help. */
  examples?: string[];
  /** Throw UsageError for bad input (exit 2); any other error fails the run (exit 1). */
  run(options: ParsedOptions<S>): Promise<number> | number;
}

export function defineCommand<S extends OptionSpecs>(definition: CommandDefinition<S>): CliCommand {
  const { name, summary, description, options, examples = [] } = definition;
  const help = (): string =>
    [
      `Usage: ${kProgram} ${name} [options]`,
      '',
      summary,
      ...(description ? ['', description] : []),
      '',
      'Options:',
      formatOptions(options),
      ...(examples.length ? ['', 'Examples:', ...examples.map((e) => `  ${kProgram} ${name} ${e}`.trimEnd())] : []),
    ].join('\n');
  return {
    name,
    summary,
    help,
    async run(argv) {
      if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(`${help()}\n`);
        return 0;
      }
      return definition.run(parseOptions(argv, options));
    },
  };
}
