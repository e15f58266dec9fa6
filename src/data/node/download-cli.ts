/** The command line of `npm run data:mnist` (scripts/download-mnist.mjs loads this through Vite's module runner). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeDataset } from '../dataset';
import { kFullMnistPath, kMnistMirrors } from '../mnist-files';
import { downloadMnist, type ChecksumTable, type ExpectedChecksum } from './download';
import { loadMnistDirectory } from './mnist-dir';
import { writeDatasetsIndex } from './build-embedded';
import { errorMessage } from '../../util/error-message';

export const kDownloadUsage = `Usage: npm run data:mnist -- [options]
Puts the four standard MNIST files into public/data/mnist/, where the app and the CLI find them.
  --from DIR        copy (and verify) them from a folder instead of downloading (gz or raw files)
  --mirror URL      a mirror to download from, tried in order (repeatable; replaces the default list:
                    ${kMnistMirrors.join('\n                    ')})
  --dest DIR        where to write them (default public/${kFullMnistPath})
  --checksums FILE  JSON {"<name>.gz": "<md5 of the .gz>" or {"gz": md5, "raw": md5 of the content}}
                    overriding the well-known MD5s (for testing with other files)
  --timeout S       give up on a mirror after S seconds without data (default 30)
  --force           replace files that are already present and valid
  --help            this text`;

export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface DownloadCliArgs {
  from?: string;
  mirrors: string[];
  dest: string;
  checksumsFile?: string;
  timeoutSeconds: number;
  force: boolean;
  help: boolean;
}

export function parseDownloadArgs(argv: readonly string[]): DownloadCliArgs {
  const args: DownloadCliArgs = { mirrors: [], dest: `public/${kFullMnistPath}`, timeoutSeconds: 30, force: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--from':
        args.from = value();
        break;
      case '--mirror':
        args.mirrors.push(value());
        break;
      case '--dest':
        args.dest = value();
        break;
      case '--checksums':
        args.checksumsFile = value();
        break;
      case '--timeout': {
        const v = value();
        args.timeoutSeconds = Number(v);
        if (!(args.timeoutSeconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got ${v}`);
        break;
      }
      case '--force':
        args.force = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  for (const mirror of args.mirrors) {
    if (!/^https?:\/\//.test(mirror)) throw new UsageError(`--mirror ${mirror}: expected an http:// or https:// URL`);
  }
  return args;
}

async function readChecksums(path: string): Promise<ChecksumTable> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--checksums ${path}: ${errorMessage(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--checksums ${path}: expected a JSON object of file name -> md5`);
  }
  const table: ChecksumTable = {};
  const isMd5 = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{32}$/i.test(x);
  for (const [name, value] of Object.entries(parsed)) {
    const entry: ExpectedChecksum = typeof value === 'string' ? { gz: value } : (value as ExpectedChecksum);
    if (![entry.gz, entry.raw].some(isMd5) || [entry.gz, entry.raw].some((x) => x !== undefined && !isMd5(x))) {
      throw new UsageError(`--checksums ${path}: ${name}: expected a 32-digit hex md5 or {"gz", "raw"}`);
    }
    table[name] = { gz: entry.gz?.toLowerCase(), raw: entry.raw?.toLowerCase() };
  }
  return table;
}

/** A one-line progress bar: redrawn in place on a terminal, only the finished line otherwise. */
export class ProgressBar {
  private lastDraw = 0;
  private current?: string;

  constructor(
    private readonly out: CliStreams['stderr'],
    private readonly width = 24,
  ) {}

  update(file: string, loaded: number, total: number | undefined): void {
    const finished = total !== undefined && loaded >= total;
    if (this.current !== file) {
      this.finishLine();
      this.current = file;
    }
    const now = Date.now();
    if (this.out.isTTY && (finished || now - this.lastDraw >= 100)) {
      this.lastDraw = now;
      this.out.write(`\r${this.line(file, loaded, total)}`);
    }
    if (finished) {
      this.out.write(`${this.out.isTTY ? '\r' : ''}${this.line(file, loaded, total)}\n`);
      this.current = undefined;
    }
  }

  /** Ends an unfinished line (a failed download) so the next message starts on its own line. */
  finishLine(): void {
    if (this.current !== undefined && this.out.isTTY) this.out.write('\n');
    this.current = undefined;
  }

  line(file: string, loaded: number, total: number | undefined): string {
    const mb = (n: number) => (n / 1e6).toFixed(1);
    if (total === undefined || total === 0) return `${file.padEnd(28)} ${mb(loaded)} MB`;
    const fraction = Math.min(1, loaded / total);
    const filled = Math.round(fraction * this.width);
    const bar = '#'.repeat(filled) + '-'.repeat(this.width - filled);
    return `${file.padEnd(28)} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${mb(loaded)}/${mb(total)} MB`;
  }
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 bad arguments). */
export async function runDownloadCli(argv: readonly string[], streams: CliStreams, cwd = process.cwd()): Promise<number> {
  let args: DownloadCliArgs;
  try {
    args = parseDownloadArgs(argv);
    if (args.help) {
      streams.stdout.write(`${kDownloadUsage}\n`);
      return 0;
    }
    const bar = new ProgressBar(streams.stderr);
    const destination = resolve(cwd, args.dest);
    const outcomes = await downloadMnist({
      destination,
      from: args.from === undefined ? undefined : resolve(cwd, args.from),
      mirrors: args.mirrors.length > 0 ? args.mirrors : undefined,
      checksums: args.checksumsFile === undefined ? undefined : await readChecksums(resolve(cwd, args.checksumsFile)),
      idleTimeoutMs: args.timeoutSeconds * 1000,
      force: args.force,
      log: (line) => {
        bar.finishLine();
        streams.stderr.write(`${line}\n`);
      },
      onProgress: (file, loaded, total) => bar.update(file, loaded, total),
    });
    bar.finishLine();
    const dataset = await loadMnistDirectory(destination);
    // Tell the app (data/datasets.json) when the files landed in the public dir it serves.
    if (destination === resolve(cwd, `public/${kFullMnistPath}`)) await writeDatasetsIndex(resolve(cwd, 'public'));
    const counts = outcomes.map((o) => o.action).reduce<Record<string, number>>((acc, a) => ({ ...acc, [a]: (acc[a] ?? 0) + 1 }), {});
    streams.stdout.write(
      `${Object.entries(counts)
        .map(([a, n]) => `${n} ${a}`)
        .join(', ')}; ${destination} holds ` + `${describeDataset(dataset)}.\n`,
    );
    return 0;
  } catch (error) {
    const text = errorMessage(error);
    streams.stderr.write(`data:mnist: ${text}\n`);
    if (error instanceof UsageError) {
      streams.stderr.write(`${kDownloadUsage}\n`);
      return 2;
    }
    return 1;
  }
}
