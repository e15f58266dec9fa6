/** <trajectory-race>'s exports in Chromium: PNG, SVG, GIF and WebM decoded back, the 3D view in them, the GIF fallback, Cancel, bad options. */
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { optimizerSpec } from '../src/optim/registry';
import type { TrajectoryRace } from '../src/ui/trajectory-race/trajectory-race';
import { kGifInstead } from '../src/ui/media/export-job';
import { kNoWebCodecs } from '../src/ui/media/webm';
import { $, cleanUp, mount } from './fixtures/trajectory-harness';
import { parseGif, parseWebm } from './fixtures/media-parsers';
import { probeVideo } from './fixtures/probe-video';

afterEach(cleanUp);

const kSteps = 4;
const hexRgb = (hex: string): number[] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const bytesOf = async (blob: Blob): Promise<Uint8Array> => new Uint8Array(await blob.arrayBuffer());
const racers = (el: TrajectoryRace): string[] => el.results.map((r) => r.optimizer);

async function raced(view: 'grid' | 'overlay' = 'grid'): Promise<TrajectoryRace> {
  const { el } = await mount({ steps: String(kSteps), view });
  expect(el.results.length).toBeGreaterThan(1);
  return el;
}

describe('<trajectory-race> exports', () => {
  it('SVG: one standalone document with every racer path, resolved colours and the formula; PNG decodes at its size × devicePixelRatio', async () => {
    for (const view of ['grid', 'overlay'] as const) {
      const el = await raced(view);
      const svgBlob = await el.exportImage('svg');
      expect(svgBlob.type).toBe('image/svg+xml');
      const doc = new DOMParser().parseFromString(await svgBlob.text(), 'image/svg+xml');
      expect(doc.querySelector('parsererror')).toBeNull();
      const root = doc.documentElement;
      for (const optimizer of racers(el)) {
        const line = root.querySelector(`g.trace[data-racer="${optimizer}"] .trace-line`);
        expect(line, `${view}: ${optimizer}'s path`).not.toBeNull();
        expect(line!.getAttribute('d')!.match(/[ML]/g)).toHaveLength(kSteps + 1);
        // The design tokens resolved: the stroke is the racer's colour, not var(--trace).
        expect(line!.getAttribute('style')).toContain(`stroke:rgb(${hexRgb(optimizerSpec(optimizer as never).color).join(', ')})`);
        expect(root.textContent).toContain(optimizerSpec(optimizer as never).label);
      }
      expect(root.querySelectorAll('.contours path').length).toBeGreaterThan(0);
      expect(root.textContent).toContain($(el, '.formula').textContent);

      const png = await el.exportImage('png');
      expect(png.type).toBe('image/png');
      const bitmap = await createImageBitmap(png);
      expect(bitmap.width).toBe(Math.round(Number(root.getAttribute('width')) * devicePixelRatio));
      expect(bitmap.height).toBe(Math.round(Number(root.getAttribute('height')) * devicePixelRatio));
      cleanUp();
    }
  });

  it('GIF: steps × framesPerStep frames at the width asked for, a palette holding every racer colour exactly', async () => {
    const el = await raced();
    const progress: number[] = [];
    const gif = parseGif(await bytesOf(await el.exportAnimation('gif', { framesPerStep: 2, width: 160, onProgress: (done) => progress.push(done) })));
    expect(gif.frames).toBe(kSteps * 2);
    expect(gif.width).toBe(160);
    expect(gif.height).toBeGreaterThan(0);
    expect(progress).toEqual([...Array(kSteps * 2).keys()].map((i) => i + 1));
    expect(gif.delays).toEqual([...Array(kSteps * 2 - 1).fill(4), 100]);
    const palette = new Set(gif.palette.map((c) => c.join(',')));
    for (const optimizer of racers(el)) expect(palette, optimizer).toContain(hexRgb(optimizerSpec(optimizer as never).color).join(','));
    // Without the 3D view a step's frames are the same picture (the same bytes).
    expect(gif.data[0]).toEqual(gif.data[1]);
    expect(gif.data[1]).not.toEqual(gif.data[2]);
  });

  it('3D view on: the PNG and SVG hold it (a PNG inside the SVG), and in the GIF it turns while the paths grow', async () => {
    // One step: every frame paints the surface's triangles on a canvas (about a second each here).
    const { el } = await mount({ steps: '1', view: 'overlay', surface: '' });
    await expect.poll(() => (el.shadowRoot!.querySelector('surface-view') as { fn?: unknown } | null)?.fn, { timeout: 20_000 }).toBeTruthy();
    const svgOf = async (): Promise<Element> => new DOMParser().parseFromString(await (await el.exportImage('svg')).text(), 'image/svg+xml').documentElement;
    const with3d = await svgOf();
    const image = with3d.querySelector('image');
    expect(image?.getAttribute('href')).toMatch(/^data:image\/png;base64,/);
    const png = await createImageBitmap(await el.exportImage('png'));
    expect(png.width).toBe(Math.round(Number(with3d.getAttribute('width')) * devicePixelRatio));

    const gif = parseGif(await bytesOf(await el.exportAnimation('gif', { framesPerStep: 2, width: 200 })));
    expect(gif.frames).toBe(2);
    // The two frames of step 1 differ: only the surface turned between them.
    expect(gif.data[0]).not.toEqual(gif.data[1]);

    el.surface = false;
    await el.updateComplete;
    const without = await svgOf();
    expect(without.querySelector('image')).toBeNull();
    expect(Number(without.getAttribute('width'))).toBeLessThan(Number(with3d.getAttribute('width')));
  });

  it('WebM: one VP9/VP8 block per frame at even size (Chromium has VideoEncoder), checked by our EBML reader and ffprobe', async () => {
    const el = await raced();
    expect(typeof VideoEncoder).toBe('function');
    const bytes = await bytesOf(await el.exportAnimation('webm', { framesPerStep: 2, width: 161 }));
    const webm = parseWebm(bytes);
    expect(webm.codec).toMatch(/^V_VP[89]$/);
    expect(webm.frames).toBe(kSteps * 2);
    expect(webm.width).toBe(162);
    expect(webm.height % 2).toBe(0);
    const probe = await probeVideo(bytes);
    if (probe) expect(probe).toEqual({ codec: webm.codec === 'V_VP9' ? 'vp9' : 'vp8', width: 162, height: webm.height, frames: kSteps * 2 });
  });

  it('WebM where WebCodecs is missing: refused with a message that suggests GIF, or a GIF with gifFallback (the UI falls back and says so)', async () => {
    const el = await raced();
    vi.stubGlobal('VideoEncoder', undefined);
    try {
      await expect(el.exportAnimation('webm', { framesPerStep: 1, width: 160 })).rejects.toThrow(kNoWebCodecs);
      const fallback = await el.exportAnimation('webm', { framesPerStep: 1, width: 160, gifFallback: true });
      expect(fallback.type).toBe('image/gif');
      expect(parseGif(await bytesOf(fallback)).frames).toBe(kSteps);

      el.requestUpdate();
      await el.updateComplete;
      const select = $<HTMLSelectElement>(el, '.export select');
      expect(select.querySelector('option[value="webm"]')!.textContent).toMatch(/GIF/);
      select.value = 'webm';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      const width = $<HTMLInputElement>(el, '.export input[aria-label="width in pixels"]');
      width.value = '100';
      width.dispatchEvent(new Event('change'));
      $<HTMLButtonElement>(el, '.export-start').click();
      await expect.poll(() => el.shadowRoot!.querySelector('.export-save'), { timeout: 20_000 }).not.toBeNull();
      expect($<HTMLAnchorElement>(el, '.export-save').download).toBe('trajectory-race.gif');
      expect($(el, '.export-note').textContent).toBe(kGifInstead);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(kNoWebCodecs).toMatch(/GIF/);
  });

  it('Cancel (API and UI) stops with no file; bad options are refused; the race is untouched', async () => {
    const el = await raced();
    const before = el.results;
    const abort = new AbortController();
    const cancelled = el.exportAnimation('gif', { width: 120, onProgress: () => abort.abort(), signal: abort.signal });
    await expect(cancelled).rejects.toThrow(/abort/i);
    await expect(el.exportAnimation('gif', { width: 10 })).rejects.toThrow('width must be a whole number from 64 to 2048, got 10.');
    await expect(el.exportAnimation('gif', { framesPerStep: 1.5 })).rejects.toThrow(/framesPerStep/);

    const select = $<HTMLSelectElement>(el, '.export select');
    select.value = 'gif';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const width = $<HTMLInputElement>(el, '.export input[aria-label="width in pixels"]');
    width.value = '120';
    width.dispatchEvent(new Event('change'));
    $<HTMLButtonElement>(el, '.export-start').click();
    await expect.poll(() => el.shadowRoot!.querySelector('.export-cancel')).not.toBeNull();
    expect($<HTMLButtonElement>(el, '.export-start').disabled).toBe(true);
    $<HTMLButtonElement>(el, '.export-cancel').click();
    await expect.poll(() => el.shadowRoot!.querySelector('.export-status')).toBeNull();
    expect(el.shadowRoot!.querySelector('.export-save')).toBeNull();
    expect($<HTMLButtonElement>(el, '.export-start').disabled).toBe(false);
    await expect.poll(() => el.shadowRoot!.activeElement).toBe($(el, '.export-start'));

    // The UI's export to the end: the file's size and a Save link.
    $<HTMLButtonElement>(el, '.export-start').click();
    await expect.poll(() => el.shadowRoot!.querySelector('.export-save'), { timeout: 20_000 }).not.toBeNull();
    expect($(el, '.export-size').textContent).toMatch(/^\d+(\.\d)? (B|KB|MB)$/);
    expect($<HTMLAnchorElement>(el, '.export-save').download).toBe('trajectory-race.gif');
    for (const part of ['.export', '.export-status']) {
      const { violations, passes } = await axe.run({ fromShadowDom: ['trajectory-race', part] } as never);
      expect(passes.length, `axe checked ${part}`).toBeGreaterThan(0);
      expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    }

    // A failed export says why and leaves the race alone.
    width.value = '5';
    width.dispatchEvent(new Event('change'));
    $<HTMLButtonElement>(el, '.export-start').click();
    await expect.poll(() => el.shadowRoot!.querySelector('.export-status.error')?.textContent).toContain('width must be a whole number');
    expect(el.results).toBe(before);
    expect($(el, '.counter').textContent).toContain(`step ${kSteps} / ${kSteps}`);
  });
});
