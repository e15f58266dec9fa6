/**
 * The `optimizer-race` command, dist-cli/cli.js: runs the CLI (dist-cli/main.js, from ./main.ts)
 * in a child Node process whose stderr passes through a filter that drops exactly Dawn's two
 * adapter warnings (below). Dawn prints them natively (fprintf to fd 2) while it enumerates
 * adapters, whenever the Vulkan driver reports more dynamic buffers than Dawn supports (Mesa's
 * lavapipe: 1000000); no API, toggle or requested limit avoids them, and Node cannot redirect
 * fd 2 of its own process. Everything else on stderr goes through as written, partial lines included.
 *
 * Stdin and stdout are the child's own; the exit code and a fatal signal are passed back. On POSIX
 * the child runs in its own session and the signals that stop a command (Ctrl-C's SIGINT, SIGTERM,
 * SIGHUP, SIGQUIT) are forwarded to it, so it sees each exactly once whether they come from the
 * terminal or from `kill`. On Windows (where Dawn does not print them: D3D12) the CLI runs in process.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dawnWarningFilter } from './dawn-warnings';
import { errorMessage } from '../util/error-message';

const kMain = new URL('./main.js', import.meta.url);

async function run(): Promise<void> {
  if (process.platform === 'win32') {
    await import(/* @vite-ignore */ kMain.href);
    return;
  }
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(kMain), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'pipe'],
    detached: true,
    // Progress lines are for terminals: tell the child its (filtered) stderr ends in one.
    env: process.stderr.isTTY ? { ...process.env, OPTIMIZER_RACE_STDERR_TTY: '1' } : process.env,
  });
  const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const signal of forwarded) process.on(signal, forward);
  process.stderr.on('error', () => {}); // its reader gone (EPIPE): nothing left to tell, and the exit status still matters
  const filter = dawnWarningFilter((text) => process.stderr.write(text));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', filter.write);
  const stderrDone = new Promise((done) => child.stderr.on('close', done));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (c, s) => done([c, s]));
  });
  // Before the awaits: Node restores a signal's default action only once its handle has closed.
  for (const s of forwarded) process.off(s, forward);
  await stderrDone;
  filter.end();
  await new Promise((done) => process.stderr.write('', done));
  if (signal) {
    process.kill(process.pid, signal); // dies as the child did, as a shell reports it
    await new Promise((done) => setTimeout(done, 1_000));
    process.exit(128 + (constants.signals[signal] ?? 0)); // the signal is caught or ignored here
  }
  process.exit(code ?? 1);
}

await run().catch((error: unknown) => {
  process.stderr.write(`error: ${errorMessage(error)}\n`);
  process.exit(1);
});
