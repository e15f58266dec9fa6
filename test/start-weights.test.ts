/**
 * src/race/start-weights.ts: `"init": {"weights": URL}` fetched (data: URLs here: no server) and
 * checked against each racer's network; every problem is one line naming the racer, the URL and the
 * reason. Loading into an engine is checked in the browser (test/optimizer-race-backend.browser.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../src/data/safetensors';
import { mlpToStateDict } from '../src/nn/state-dict';
import { networkLayout } from '../src/nn/layout';
import { kSeedRace, resolveRace, type RaceConfig } from '../src/race/config';
import { fetchWeights, shownUrl, startWeightsFromUrls } from '../src/race/start-weights';

const sizes = [784, 5, 10];
const dataUrl = (bytes: Uint8Array): string => `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}`;
const params = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i) / 8);

function config(...racers: RaceConfig['racers']): RaceConfig {
  return { ...kSeedRace, sizes, iterations: 3, batchSize: 3, racers };
}

describe('weights from the racers JSON', () => {
  const P = networkLayout(sizes).paramsPerRacer;
  const good = encodeSafetensors(mlpToStateDict(sizes, params(P)));

  it("reads each file into its racer's blocks, leaving the other racers at their init", async () => {
    const c = config({ optimizer: 'sgd' }, { optimizer: 'adam', initWeights: dataUrl(good) });
    const blocks = await startWeightsFromUrls(c, resolveRace(c));
    expect([...blocks.keys()]).toEqual([1]);
    const params1 = blocks.get(1)?.params ?? new Float32Array(0);
    expect(encodeSafetensors(mlpToStateDict(sizes, params1))).toEqual(good);
  });

  it('refuses a bad file with one line naming the racer, the URL and the reason', async () => {
    const wrongShape = encodeSafetensors(mlpToStateDict([784, 6, 10], params(networkLayout([784, 6, 10]).paramsPerRacer)));
    const decodeMessage = (bytes: Uint8Array): string => {
      try {
        decodeSafetensors(bytes);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('decoded');
    };
    const truncated = good.subarray(0, good.length - 4);
    const cases: [string, string][] = [
      [dataUrl(wrongShape), 'tensor 0.weight is [6, 784]; the network 784-5-10 needs [5, 784]'],
      [dataUrl(truncated), decodeMessage(truncated)],
      ['data:application/octet-stream;base64,AAAA', decodeMessage(new Uint8Array(3))],
    ];
    for (const [url, reason] of cases) {
      const c = config({ optimizer: 'sgd' }, { optimizer: 'adam', initWeights: url });
      const message = await startWeightsFromUrls(c, resolveRace(c)).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(message.startsWith(`racer 2 (Adam): weights ${shownUrl(url)}: `)).toBe(true);
      expect(message.endsWith(`: ${reason}`)).toBe(true);
      expect(message).not.toContain('\n');
    }
    expect(shownUrl('data:application/octet-stream;base64,AAAA')).toBe('data:application/octet-stream;base64,…');
  });

  it('refuses a file over the limit, and a failed fetch', async () => {
    await expect(fetchWeights(dataUrl(good), 10)).rejects.toThrow(/over the limit of 10 bytes/);
    await expect(fetchWeights('http://127.0.0.1:1/none.safetensors')).rejects.toThrow(/^could not fetch it/);
  });
});
