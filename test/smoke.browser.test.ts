import { expect, it } from 'vitest';
import { testDevice } from './gpu';

it('has WebGPU in the test browser', async () => {
  const device = await testDevice();
  expect(device).toBeDefined();
});
