/**
 * `mnist --save-weights DIR` and `--init-weights FILE` as a user runs them (the built CLI, the
 * embedded data, the wasm engine, a tiny network): one file per racer with its metadata, a race
 * that starts from a file, and each bad file refused with one line and exit 2 before the race.
 * `--checkpoint FILE` at Ctrl-C and `--resume FILE`: the resumed race's losses are the straight
 * race's (the CPU reference, bit for bit; every engine: test/checkpoint.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../src/data/safetensors';
import { copyBuiltCli } from './fixtures/cli-bundle';

let outDir: string;
beforeAll(() => {
  outDir = copyBuiltCli('cli-weights-test');
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [join(outDir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const tiny = (hidden = '7') => ['mnist', '--backend', 'wasm', '--threads', '1', '--hidden', hidden, '--iterations', '3', '--eval-every', '3', '--batch', '8'];
const kTiny = tiny();

describe('mnist --save-weights and --init-weights', () => {
  it("writes each racer's file at the end, and a race starts from one", { timeout: 120_000 }, () => {
    const dir = join(outDir, 'weights');
    const saved = cli(...kTiny, '--optimizers', 'sgd,adam', '--optimizer', 'sgd:bn=on', '--save-weights', dir);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['1-SGD.safetensors', '2-Adam.safetensors', '3-SGD_bn=on.safetensors']);
    expect(saved.stdout).toContain(`Wrote the weights at iteration 3: ${join(dir, '1-SGD.safetensors')}, `);
    const sgd = decodeSafetensors(readFileSync(join(dir, '1-SGD.safetensors')));
    expect(sgd.metadata).toMatchObject({ optimizer: 'sgd', iteration: '3', sizes: '784-7-10', seed: '1', init: 'he', activation: 'relu', batch_size: '8' });
    expect(sgd.metadata.data).toMatch(/^Embedded MNIST subset/i);
    expect(Number(sgd.metadata.test_accuracy)).toBeGreaterThan(0);
    expect([...sgd.tensors.keys()].sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    const bn = decodeSafetensors(readFileSync(join(dir, '3-SGD_bn=on.safetensors')));
    expect([...bn.tensors.keys()].sort()).toEqual(['0.bias', '0.weight', '1.bias', '1.running_mean', '1.running_var', '1.weight', '3.bias', '3.weight']);
    expect(bn.metadata.sequential).toBe('Linear(784, 7), BatchNorm1d(7), ReLU(), Linear(7, 10)');

    const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { racers: { losses: number[] }[] };
    const fresh = cli(...kTiny, '--optimizers', 'adam', '--json', join(outDir, 'fresh.json'));
    const loaded = cli(...kTiny, '--optimizers', 'adam', '--init-weights', join(dir, '1-SGD.safetensors'), '--json', join(outDir, 'loaded.json'));
    expect([fresh.code, loaded.code]).toEqual([0, 0]);
    expect(loaded.stdout).toContain(`Every racer starts from ${join(dir, '1-SGD.safetensors')}`);
    expect(json(join(outDir, 'loaded.json')).racers[0].losses[0]).not.toBe(json(join(outDir, 'fresh.json')).racers[0].losses[0]);
  });

  it('refuses a bad file with one line and exit 2, before the race', { timeout: 120_000 }, () => {
    const good = readFileSync(join(outDir, 'weights', '1-SGD.safetensors'));
    const refused = (file: string, ...extra: string[]): string => {
      const hidden = extra[0] === '--hidden' ? extra.splice(0, 2)[1] : '7';
      const run = cli(...tiny(hidden), '--optimizers', 'sgd', '--init-weights', file, ...extra);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      return run.stderr.trim().replace(/ \(see --help\)$/, '');
    };
    const truncated = join(outDir, 'truncated.safetensors');
    writeFileSync(truncated, good.subarray(0, good.length - 10));
    expect(refused(truncated)).toMatch(
      /--init-weights .*truncated\.safetensors: truncated: the tensors' offsets reach byte \d+ of the data, the file holds \d+$/,
    );
    // Another network: the hidden layer has 5 units, the file 7.
    expect(refused(join(outDir, 'weights', '1-SGD.safetensors'), '--hidden', '5')).toMatch(
      /tensor 0\.weight is \[7, 784\]; the network 784-5-10 needs \[5, 784\]$/,
    );
    // A header that lies: 0.bias's offsets claim 4 bytes more than [7] floats (the header rewritten, its length with it).
    const lying = join(outDir, 'lying.safetensors');
    const headerLength = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(good.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { data_offsets: number[] }>;
    header['0.bias'].data_offsets[1] += 4;
    const text = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(text.length));
    writeFileSync(lying, Buffer.concat([length, text, good.subarray(8 + headerLength)]));
    expect(refused(lying)).toMatch(/data_offsets \[\d+, \d+\] hold 32 bytes, but F32 \[7\] needs 28$/);
    const big = join(outDir, 'big.safetensors');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 100_000_001);
    closeSync(fd);
    expect(refused(big)).toBe(`error: --init-weights ${big}: the file is 100000001 bytes, over the limit of 100000000 bytes`);
    expect(refused(join(outDir, 'missing.safetensors'))).toBe(`error: --init-weights ${join(outDir, 'missing.safetensors')}: no such file`);
    expect(refused(join(outDir, 'weights', '1-SGD.safetensors'), '--save-weights', truncated)).toBe(
      `error: --save-weights ${truncated}: is a file; give a folder`,
    );
  });

  it('--checkpoint at Ctrl-C, then --resume, records the losses of the race run straight through', { timeout: 120_000 }, async () => {
    const race = ['mnist', '--backend', 'cpu', '--hidden', '5', '--batch', '8', '--iterations', '300', '--eval-every', '100', '--optimizers', 'sgd,adam'];
    const checkpoint = join(outDir, 'race.safetensors');
    const child = spawn(process.execPath, [join(outDir, 'cli.js'), ...race, '--optimizer', 'momentum:bn=on', '--checkpoint', checkpoint]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The first seed line is out: the race is under way.
      if (stdout.includes('iteration:0') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code, stdout).toBe(130);
    const stopped = Number(stdout.match(/Wrote the checkpoint at iteration (\d+):/)?.[1]);
    expect(stopped).toBeGreaterThan(0);
    expect(stopped).toBeLessThan(300);

    const resumed = cli('mnist', '--backend', 'cpu', '--resume', checkpoint, '--json', join(outDir, 'resumed.json'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resuming at iteration ${stopped + 1} from ${checkpoint}`);
    const straight = cli(...race, '--optimizer', 'momentum:bn=on', '--json', join(outDir, 'straight.json'));
    expect(straight.code, straight.stderr).toBe(0);
    const json = (file: string) => JSON.parse(readFileSync(join(outDir, file), 'utf8')) as { racers: { losses: number[]; accuracy: unknown[] }[] };
    const [a, b] = [json('resumed.json'), json('straight.json')];
    expect(a.racers.map((r) => r.losses)).toEqual(b.racers.map((r) => r.losses));
    expect(a.racers.map((r) => r.accuracy)).toEqual(b.racers.map((r) => r.accuracy));
    // A race option beside --resume is refused: the race is the checkpoint's.
    const mixed = cli('mnist', '--resume', checkpoint, '--iterations', '5');
    expect([mixed.code, mixed.stderr.trim()]).toEqual([2, "error: --resume runs the checkpoint's race as it was set up; leave out --iterations (see --help)"]);
  });
});
