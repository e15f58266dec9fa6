/**
 * <surface-view> in Chromium: the surface and paths drawn by WebGPU (SwiftShader) and by the
 * canvas fallback, the two pictures alike, the camera turned by keys and drags, the focus ring.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import { kDefaultCamera } from '../src/race2d/surface/camera';
import { kFunctions } from '../src/race2d/functions';
import { kKeyTurn, kKeyZoom } from '../src/ui/trajectory-race/surface-view/camera-input';
import '../src/ui/trajectory-race/surface-view/surface-view';
import '../src/ui/trajectory-race/trajectory-race';
import type { SurfaceDrawnDetail, SurfaceView } from '../src/ui/trajectory-race/surface-view/surface-view';

const kCI = import.meta.env.VITE_CI === 'true';
const hasWebGPU = typeof navigator !== 'undefined' && 'gpu' in navigator;

afterEach(() => document.body.replaceChildren());

const drawn = (el: SurfaceView): Promise<SurfaceDrawnDetail> =>
  new Promise((resolve) => el.addEventListener('surface-drawn', (e) => resolve(e.detail), { once: true }));

/**
 * The picture as the page shows it (a screenshot of the stage: a WebGPU canvas cannot be read
 * back with drawImage once its frame is presented), as RGBA pixels.
 */
async function pixels(el: SurfaceView): Promise<ImageData> {
  const stage = el.shadowRoot!.querySelector<HTMLElement>('.stage')!;
  const png = await page.screenshot({ element: stage, save: false });
  const image = new Image();
  image.src = `data:image/png;base64,${png}`;
  await image.decode();
  const out = document.createElement('canvas');
  [out.width, out.height] = [image.width, image.height];
  const ctx = out.getContext('2d')!;
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, out.width, out.height);
}

/** Rosenbrock with two paths (one ending in the valley), 320 px wide. */
async function mount(renderer: 'auto' | 'canvas'): Promise<{ el: SurfaceView; detail: SurfaceDrawnDetail; image: ImageData }> {
  const el = document.createElement('surface-view');
  el.style.width = '320px';
  el.renderer = renderer;
  el.fn = kFunctions.rosenbrock;
  el.paths = [
    {
      id: 'sgd',
      color: '#d62728',
      marker: 'circle',
      path: [
        [-1.5, 2],
        [-1, 1],
        [0, 0.2],
        [0.5, 0.3],
        [1, 1],
      ],
    },
    {
      id: 'adam',
      color: '#1f77b4',
      marker: 'diamond',
      path: [
        [-1.5, 2],
        [1.8, 2.8],
      ],
    },
  ];
  const first = drawn(el);
  document.body.append(el);
  const detail = await first;
  return { el, detail, image: await pixels(el) };
}

/** Share of pixels away from the background colour (the top-left corner's), and how many distinct colours. */
function coverage(image: ImageData): { share: number; colors: number; mask: Uint8Array } {
  const { data } = image;
  const bg = [data[0], data[1], data[2]];
  const mask = new Uint8Array(data.length / 4);
  const distinct = new Set<number>();
  for (let k = 0; k < mask.length; k++) {
    const d = Math.abs(data[4 * k] - bg[0]) + Math.abs(data[4 * k + 1] - bg[1]) + Math.abs(data[4 * k + 2] - bg[2]);
    mask[k] = d > 12 ? 1 : 0;
    distinct.add((data[4 * k] >> 3) * 1024 + (data[4 * k + 1] >> 3) * 32 + (data[4 * k + 2] >> 3));
  }
  return { share: mask.reduce((s, v) => s + v, 0) / mask.length, colors: distinct.size, mask };
}

/** With SURFACE_SHOTS set (VITE_SURFACE_SHOTS=1), writes the picture to test-results/ to look at. */
async function save(name: string, image: ImageData): Promise<void> {
  if (!import.meta.env.VITE_SURFACE_SHOTS) return;
  const out = document.createElement('canvas');
  [out.width, out.height] = [image.width, image.height];
  out.getContext('2d')!.putImageData(image, 0, 0);
  await commands.writeFile(`test-results/surface-${name}.png`, out.toDataURL('image/png').split(',')[1], 'base64');
}

describe('<surface-view>', () => {
  it.skipIf(!hasWebGPU && !kCI)('draws the surface and the paths with WebGPU', async () => {
    const { el, detail, image } = await mount('auto');
    expect(detail.renderer).toBe('webgpu');
    expect(el.shadowRoot!.querySelector('.stage')!.getAttribute('data-renderer')).toBe('webgpu');
    expect(el.shadowRoot!.querySelector('.renderer')!.textContent).toBe('Drawn with WebGPU');
    const { share, colors } = coverage(image);
    await save('webgpu', image);
    expect(share).toBeGreaterThan(0.2);
    expect(colors).toBeGreaterThan(20);
  });

  it('draws the same picture on a 2D canvas when told to (renderer="canvas")', async () => {
    const { el, detail, image } = await mount('canvas');
    expect(detail.renderer).toBe('canvas');
    expect(el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.gpu')!.hidden).toBe(true);
    const canvasPicture = coverage(image);
    await save('canvas', image);
    expect(canvasPicture.share).toBeGreaterThan(0.2);
    expect(canvasPicture.colors).toBeGreaterThan(20);
    // The racer colours are on it: the paths.
    const { data } = image;
    let red = 0;
    for (let k = 0; k < data.length; k += 4) if (data[k] > 180 && data[k + 1] < 90 && data[k + 2] < 90) red++;
    expect(red).toBeGreaterThan(20);
    if (!hasWebGPU) return;
    // Switched to WebGPU: the covered pixels are (almost) the same ones.
    const again = drawn(el);
    el.renderer = 'auto';
    expect((await again).renderer).toBe('webgpu');
    const gpuImage = await pixels(el);
    await save('webgpu-after-canvas', gpuImage);
    const gpuPicture = coverage(gpuImage);
    let both = 0;
    let either = 0;
    for (let k = 0; k < gpuPicture.mask.length; k++) {
      both += gpuPicture.mask[k] & canvasPicture.mask[k];
      either += gpuPicture.mask[k] | canvasPicture.mask[k];
    }
    expect(both / either).toBeGreaterThan(0.95);
    // And in the same colours: the mean difference per channel where both drew, out of 255.
    let difference = 0;
    for (let k = 0; k < gpuPicture.mask.length; k++) {
      if (!(gpuPicture.mask[k] & canvasPicture.mask[k])) continue;
      for (let c = 0; c < 3; c++) difference += Math.abs(gpuImage.data[4 * k + c] - image.data[4 * k + c]);
    }
    if (import.meta.env.VITE_SURFACE_SHOTS)
      console.log(`mask IoU ${(both / either).toFixed(4)}, mean channel difference ${(difference / (3 * both)).toFixed(2)}`);
    expect(difference / (3 * both)).toBeLessThan(10);
  });

  it('turns with the arrow keys, zooms with + and −, resets with 0, and says so in its label', async () => {
    const { el } = await mount('canvas');
    const stage = el.shadowRoot!.querySelector<HTMLElement>('.stage')!;
    const before = stage.getAttribute('aria-label')!;
    expect(before).toMatch(/^3D surface of f\(x, y\) = \(1 − x\)² \+ 100\(y − x²\)² over x from -2 to 2, y from -1 to 3, with 2 paths/);
    await userEvent.tab();
    expect(el.shadowRoot!.activeElement).toBe(stage);
    expect(getComputedStyle(stage).outlineStyle).toBe('solid');
    let frame = drawn(el);
    await userEvent.keyboard('{ArrowRight}');
    await frame;
    expect(el.camera.yaw).toBeCloseTo(kDefaultCamera.yaw + kKeyTurn, 10);
    await userEvent.keyboard('{ArrowUp}{ArrowUp}');
    expect(el.camera.pitch).toBeCloseTo(kDefaultCamera.pitch + 2 * kKeyTurn, 10);
    await userEvent.keyboard('+');
    expect(el.camera.zoom).toBeCloseTo(kKeyZoom, 10);
    await el.updateComplete;
    expect(stage.getAttribute('aria-label')).not.toBe(before);
    await userEvent.keyboard('-');
    expect(el.camera.zoom).toBeCloseTo(1, 10);
    frame = drawn(el);
    await userEvent.keyboard('0');
    await frame;
    expect(el.camera).toEqual(kDefaultCamera);
    await el.updateComplete;
    expect(stage.getAttribute('aria-label')).toBe(before);
  });

  it('turns when dragged, and Reset view brings the camera back', async () => {
    const { el } = await mount('canvas');
    const stage = el.shadowRoot!.querySelector<HTMLElement>('.stage')!;
    const box = stage.getBoundingClientRect();
    const at = (dx: number, dy: number) => ({
      clientX: box.left + 100 + dx,
      clientY: box.top + 100 + dy,
      pointerId: 1,
      button: 0,
      bubbles: true,
      composed: true,
    });
    stage.dispatchEvent(new PointerEvent('pointerdown', at(0, 0)));
    stage.dispatchEvent(new PointerEvent('pointermove', at(40, -20)));
    stage.dispatchEvent(new PointerEvent('pointerup', at(40, -20)));
    expect(el.camera.yaw).toBeCloseTo(kDefaultCamera.yaw - 0.4, 10);
    expect(el.camera.pitch).toBeCloseTo(kDefaultCamera.pitch - 0.2, 10);
    await userEvent.click(el.shadowRoot!.querySelector('button')!);
    expect(el.camera).toEqual(kDefaultCamera);
  });

  it('takes a typed function and a view box as attributes, and shows a bad expression', async () => {
    const el = document.createElement('surface-view');
    el.setAttribute('renderer', 'canvas');
    el.setAttribute('function', 'sin(x) * cos(y)');
    el.setAttribute('view-box', '-3,3,-2,2');
    const first = drawn(el);
    document.body.append(el);
    await first;
    const image = await pixels(el);
    expect(el.shadowRoot!.querySelector('.stage')!.getAttribute('aria-label')).toContain('over x from -3 to 3, y from -2 to 2');
    expect(coverage(image).share).toBeGreaterThan(0.1);
    el.setAttribute('function', 'sin(x');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.note[role="alert"]')!.textContent).toMatch(/column/);
    // A bad box is checked as <trajectory-race>'s is, said, and the function's own view is drawn.
    el.setAttribute('function', 'sin(x) * cos(y)');
    el.setAttribute('view-box', '3,-3,-2,2');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.note[role="alert"]')!.textContent).toBe(
      "View box: x max (-3) must be above x min (3) by at least 0.000001; showing the function's own view.",
    );
    expect(el.shadowRoot!.querySelector('.stage')!.getAttribute('aria-label')).toContain('over x from -5 to 5, y from -5 to 5');
  });

  it('sits beside the contour view of <trajectory-race surface>, with every path, at the step shown', async () => {
    await page.viewport(1280, 1000);
    const race = document.createElement('trajectory-race');
    race.setAttribute('hash-key', '');
    race.view = 'overlay';
    const finished = new Promise((resolve) => race.addEventListener('race-finished', resolve, { once: true }));
    document.body.append(race);
    await finished;
    await race.updateComplete;
    expect(race.shadowRoot!.querySelector('surface-view')).toBeNull();
    const toggle = [...race.shadowRoot!.querySelectorAll<HTMLInputElement>('.check input')].find((i) => i.parentElement!.textContent!.includes('3D view'))!;
    await userEvent.click(toggle);
    await race.updateComplete;
    expect(race.surface).toBe(true);
    const view = race.shadowRoot!.querySelector<SurfaceView>('.views.with-surface.overlay-view surface-view')!;
    expect(view.fn!.id).toBe('seed');
    expect(view.paths.map((p) => p.id)).toEqual(race.results.map((r) => r.optimizer));
    expect(view.paths[0].path).toBe(race.results[0].path);
    expect(view.step).toBeNull();
    race.shadowRoot!.querySelector<HTMLButtonElement>('[aria-label="next step"]')!.click();
    await race.updateComplete;
    expect(view.step).toBe(1);
    await drawn(view);
    if (import.meta.env.VITE_SURFACE_SHOTS) await page.screenshot({ element: race, path: '../test-results/race-surface.png' });
  });
});
