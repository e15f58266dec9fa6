/**
 * The number of optimizers that texts state: the page reads it from the registry (main.ts fills
 * `data-optimizer-count`); the texts that cannot (the README's first paragraph, package.json's
 * description, the page's text before its script runs) must say the registry's count.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optimizerIds } from '../src/optim/registry';
import { capitalizedNumberWord, numberWord } from '../src/util/number-words';

const read = (path: string): string => readFileSync(resolve(__dirname, '..', path), 'utf8');

/** The first "N optimizers" a text states, as written (a word or digits). */
function statedCount(text: string): string | undefined {
  return /\b([A-Za-z]+|\d+)(?:<\/span>)? optimizers\b/.exec(text)?.[1];
}

describe('number words', () => {
  it('writes zero to twenty in words, larger counts in digits', () => {
    expect([0, 1, 6, 10, 20].map(numberWord)).toEqual(['zero', 'one', 'six', 'ten', 'twenty']);
    expect(numberWord(21)).toBe('21');
    expect(capitalizedNumberWord(10)).toBe('Ten');
    expect(capitalizedNumberWord(42)).toBe('42');
  });
});

describe("the optimizer count in texts is the registry's", () => {
  const count = optimizerIds().length;

  it("the README's first paragraph", () => {
    const intro = read('README.md').split('\n\n')[1];
    expect(statedCount(intro)).toBe(numberWord(count));
  });

  it("package.json's description", () => {
    const { description } = JSON.parse(read('package.json')) as { description: string };
    expect(statedCount(description)).toBe(capitalizedNumberWord(count));
  });

  it("the demo page's pitch (main.ts replaces it from the registry; this is what shows before)", () => {
    const html = read('index.html');
    expect(html).toMatch(/<span data-optimizer-count="capital">[^<]*<\/span> optimizers/);
    expect(statedCount(html.slice(html.indexOf('data-optimizer-count')))).toBe(capitalizedNumberWord(count));
  });
});
