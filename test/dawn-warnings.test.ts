/**
 * The CLI's stderr filter (src/cli/dawn-warnings.ts, used by the optimizer-race command): drops
 * exactly Dawn's two adapter warnings, however the bytes are split, and passes the rest through.
 */
import { describe, expect, it } from 'vitest';
import { dawnWarningFilter } from '../src/cli/dawn-warnings';

const kWarnings = [
  'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\n',
  'Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\n',
];

function filtered(chunks: string[]): { text: string; writes: string[] } {
  const writes: string[] = [];
  const filter = dawnWarningFilter((t) => writes.push(t));
  for (const chunk of chunks) filter.write(chunk);
  filter.end();
  return { text: writes.join(''), writes };
}

describe('the Dawn warning filter', () => {
  it('drops both warnings and keeps every other line', () => {
    const input = `${kWarnings[0]}${kWarnings[1]}error: no GPU\nWarning: something else\n`;
    expect(filtered([input]).text).toBe('error: no GPU\nWarning: something else\n');
  });

  it('drops them split at any byte', () => {
    const input = `a\n${kWarnings.join('')}b\n`;
    for (let cut = 0; cut <= input.length; cut++) expect(filtered([input.slice(0, cut), input.slice(cut)]).text).toBe('a\nb\n');
    expect(filtered([...input]).text).toBe('a\nb\n');
  });

  it('passes a progress line (no newline, \\r) through at once, and keeps a near miss', () => {
    const { writes } = filtered(['\riteration 3/10, 5.0 iterations/s\x1b[K']);
    expect(writes).toEqual(['\riteration 3/10, 5.0 iterations/s\x1b[K']);
    const near = kWarnings[0].replace('to fit', 'so as to fit');
    expect(filtered([near, 'Warning: maxDynamic']).text).toBe(`${near}Warning: maxDynamic`);
  });
});
