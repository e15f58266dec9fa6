/**
 * The demo page: registers the components, gives the page the components' design tokens, draws
 * the optimizer legend from the shared colours and says so when WebGPU is missing.
 */
import './ui/trajectory-race/trajectory-race';
import './ui/adam-steps/adam-steps';
import './ui/page/page.css';
import { sharedGpuDevice } from './gpu/device';
import { optimizers, type MarkerShape } from './optim/registry';
import { themeTokens } from './ui/theme';

/** The components' tokens (colours, fonts, dark mode) also style the page: one source, src/ui/theme.ts. */
function adoptThemeTokens(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(themeTokens.cssText.replaceAll(':host', ':root'));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** The seed's matplotlib markers as small SVG glyphs (12 x 12, centred at 6, 6). */
const kMarkerGlyphs: Record<MarkerShape, string> = {
  circle: '<circle cx="6" cy="6" r="4" />',
  cross: '<path d="M2.5 2.5 9.5 9.5M9.5 2.5 2.5 9.5" />',
  square: '<rect x="2.2" y="2.2" width="7.6" height="7.6" />',
  diamond: '<path d="M6 1.4 10.6 6 6 10.6 1.4 6Z" />',
  'triangle-down': '<path d="M1.6 2.6h8.8L6 10.2Z" />',
  'triangle-up': '<path d="M6 1.8l4.4 7.6H1.6Z" />',
};

function renderLegend(list: HTMLElement): void {
  list.replaceChildren(...optimizers().map((spec) => {
    const item = document.createElement('li');
    item.style.setProperty('--optimizer-color', spec.color);
    item.innerHTML =
      `<svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">${kMarkerGlyphs[spec.marker]}</svg>`;
    item.append(spec.label);
    return item;
  }));
}

/** Shows the WebGPU note (the components still work: they fall back to the CPU reference). */
async function checkWebGPU(): Promise<void> {
  try {
    await sharedGpuDevice();
  } catch (error) {
    const note = document.getElementById('webgpu-note');
    const reason = document.getElementById('webgpu-reason');
    if (reason) reason.textContent = error instanceof Error ? error.message : String(error);
    if (note) note.hidden = false;
  }
}

adoptThemeTokens();
const legend = document.getElementById('optimizer-legend');
if (legend) renderLegend(legend);
void checkWebGPU();
