/** `mnist --backend wasm|auto` (auto: the default) as a user runs it (the CLI bundle built by Vite, the kernels compiled from source). */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBuiltCli } from './fixtures/cli-bundle';

interface RaceJson {
  racers: { losses: number[]; accuracy: { test: number }[] }[];
  timing: { backend: string; msPerIteration: number; dispatchesPerIteration?: number };
}

let outDir: string;
beforeAll(() => {
  outDir = copyBuiltCli('cli-wasm-test');
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [join(outDir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A tiny race on `backend` (null: no --backend, the default). */
function race(backend: string | null, ...extra: string[]): { json: RaceJson; stdout: string } {
  const file = join(outDir, `${backend ?? 'default'}${extra.join('')}.json`);
  const run = cli('mnist', ...(backend ? ['--backend', backend] : []), '--iterations', '4', '--eval-every', '4', '--batch', '16', '--json', file, ...extra);
  expect(run.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
  expect(run.code).toBe(0);
  return { json: JSON.parse(readFileSync(file, 'utf8')) as RaceJson, stdout: run.stdout };
}

describe('mnist --backend wasm', () => {
  it('matches the CPU reference and says which backend ran', { timeout: 120_000 }, () => {
    const wasm = race('wasm');
    const cpu = race('cpu');
    expect(wasm.json.timing.backend).toBe('wasm');
    expect(cpu.json.timing.backend).toBe('cpu');
    expect(wasm.stdout).toContain('backend: wasm (float32 WebAssembly SIMD');
    wasm.json.racers.forEach((r, k) =>
      r.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.json.racers[k].losses[i]) / cpu.json.racers[k].losses[i]).toBeLessThan(2e-3)),
    );
  });

  it('--threads 2 splits the racers across two threads with the same numbers as one', { timeout: 120_000 }, () => {
    const one = race('wasm', '--threads', '1');
    const two = race('wasm', '--threads', '2');
    expect(one.stdout).toContain('1 thread)');
    expect(two.stdout).toContain('2 threads)');
    expect(two.json.racers.map((r) => r.losses)).toEqual(one.json.racers.map((r) => r.losses));
    expect(two.json.racers.map((r) => r.accuracy)).toEqual(one.json.racers.map((r) => r.accuracy));
  });

  it('rejects a bad --threads, and --threads with a backend that has no threads, in one line', () => {
    for (const args of [
      ['--backend', 'wasm', '--threads', '0'],
      ['--backend', 'wasm', '--threads', '1.5'],
      ['--backend', 'cpu', '--threads', '2'],
    ]) {
      const run = cli('mnist', ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--threads/);
    }
  });

  it('auto, the default, picks wasm when the only adapter is a software one, and says why in one line', { timeout: 120_000 }, () => {
    const { json, stdout } = race(null);
    expect(stdout.match(/^Backend auto: .*$/gm)).toHaveLength(1);
    expect(stdout).toMatch(/^Backend auto: (webgpu|wasm), because .+/m);
    if (json.timing.backend === 'wasm')
      expect(stdout).toMatch(/^Backend auto: wasm, because (the only WebGPU adapter is a software fallback|no WebGPU|WebGPU)/m);
    expect(['webgpu', 'wasm']).toContain(json.timing.backend);
    if (json.timing.backend === 'webgpu') expect(json.timing.dispatchesPerIteration).toBeGreaterThan(0);
  });

  it('the commands without a WebAssembly engine reject --backend wasm in one line', () => {
    const run = cli('trajectory', '--backend', 'wasm');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/backend/);
  });
});
