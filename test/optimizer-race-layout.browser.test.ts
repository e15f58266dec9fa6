/**
 * What a user reads must fit: <optimizer-race> at the width the demo page gives it at 1280 px
 * (72rem less the page's padding: 1080 px), racing the sweep preset (48 racers, 2 iterations of
 * batch 8 on the wasm engine). The leaderboard's last column is inside its card, not scrolled away
 * ("fir" for finished), and every racer card's hyperparameter field shows its whole value
 * (0.0003728, not 0.00037). The sensitivity charts' "best lr" labels are placed by
 * src/ui/charts/chart-labels.ts, checked on its own in test/chart-labels.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { $, $$, finished, mountSmall, useOptimizerRaceHarness } from './optimizer-race-harness';

useOptimizerRaceHarness();

/** The element's width on the demo page in a 1280 px window (src/ui/page/page.css: .wrap). */
const kDemoWidth = 1080;

/** The width a text needs in an input's font. */
function textWidth(input: HTMLInputElement): number {
  const style = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  return ctx.measureText(input.value).width;
}

describe('<optimizer-race> layout: a 48-racer sweep at 1280 px', () => {
  it('shows the whole leaderboard and every hyperparameter value', async () => {
    await page.viewport(1280, 900);
    const el = await mountSmall({ backend: 'wasm', iterations: '2', 'batch-size': '8', 'eval-every': '2' });
    el.style.width = `${kDemoWidth}px`;
    const select = $<HTMLSelectElement>(el, 'select[data-setting="preset"]');
    select.value = 'sweep';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.racers).toHaveLength(48);
    const done = finished(el);
    await el.start();
    await done;
    await el.updateComplete;

    // The leaderboard: no horizontal scrolling, and each row's last cell ("finished") inside the scroller.
    const scroller = $(el, '.table-scroll');
    expect(scroller.scrollWidth, 'the leaderboard scrolls sideways').toBeLessThanOrEqual(scroller.clientWidth);
    const right = scroller.getBoundingClientRect().right;
    const status = $$(el, '.leaderboard td[data-col="status"]');
    expect(status).toHaveLength(48);
    for (const cell of status) {
      expect(cell.textContent?.trim()).toBe('finished');
      expect(cell.getBoundingClientRect().right).toBeLessThanOrEqual(right + 0.5);
    }

    // Every hyperparameter field is wide enough for its value (a spin button beside it); a study's
    // racers are shown as the study until unfolded.
    $<HTMLButtonElement>(el, 'button[data-action="unfold-racers"]').click();
    await el.updateComplete;
    const fields = $$<HTMLInputElement>(el, '.racer-fields.hypers input[data-key]');
    expect(fields.length).toBeGreaterThanOrEqual(48);
    expect(fields.map((f) => f.value)).toContain('0.0003728');
    for (const field of fields) {
      const style = getComputedStyle(field);
      const inner = field.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      // Chromium's spin button takes about 15 px of the content box.
      expect(textWidth(field), `${field.dataset.key}=${field.value} in ${inner} px`).toBeLessThanOrEqual(inner - 15);
    }
  });
});
