/**
 * The bundles' Lit templates (src/ui/literal-minify-plugin.ts): indentation, comments and CSS
 * whitespace go; every `${…}` part stays where it was, and a space beside an inline element or an
 * expression stays one space (the built pages render as the dev server does; the page, embed and
 * Firefox tests run the built bundles).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the sources under test are text that holds template literals
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minifyLitLiterals } from '../src/ui/literal-minify-plugin';

describe('minifyLitLiterals', () => {
  it('collapses markup conservatively and keeps the expressions', async () => {
    const source = [
      'const t = (n: number, on: boolean) => html`',
      '  <p class="note">',
      '    <!-- why -->',
      '    Trained <b>${n}</b> racers',
      '    ${on ? html`<span>on</span>` : null}',
      '  </p>`;',
    ].join('\n');
    const out = await minifyLitLiterals(source, 'x.ts');
    expect(out?.code).toBe(
      'const t = (n: number, on: boolean) => html` <p class="note"> Trained <b>${n}</b> racers ${on ? html`<span>on</span>` : null} </p>`;',
    );
  });

  it('minifies styles, keeping a part inside a value', async () => {
    const source = 'const s = css`\n  :host {\n    display: block;   /* the box */\n    gap: ${unit};\n  }\n`;';
    const out = await minifyLitLiterals(source, 'y.ts');
    expect(out?.code).toBe('const s = css`:host{gap:${unit};display:block}`;');
  });

  it('leaves a file without templates alone, and shrinks a real component', async () => {
    expect(await minifyLitLiterals('export const x = 1;', 'z.ts')).toBeNull();
    const file = new URL('../src/ui/optimizer-race/optimizer-race.styles.ts', import.meta.url).pathname;
    const code = readFileSync(file, 'utf8');
    const out = await minifyLitLiterals(code, file);
    expect(out?.code.length).toBeLessThan(code.length * 0.8);
  });
});
