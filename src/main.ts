/**
 * The demo page: registers the components, gives the page the components' design tokens, draws
 * the optimizer legend from the shared colours, says how many optimizers are registered and says
 * so when WebGPU is missing; a classroom link's flags and the "Link for a lesson" panel load after it.
 */
import './ui/trajectory-race/trajectory-race';
import './ui/page/page.css';
import { sharedGpuDevice } from './gpu/device';
import { optimizerIds, optimizers } from './optim/registry';
import { kMarkerIcons } from './ui/markers';
import { themeTokens } from './ui/theme';
import { errorMessage } from './util/error-message';
import { capitalizedNumberWord, numberWord } from './util/number-words';

/** The components' tokens (colours, fonts, dark mode) also style the page: one source, src/ui/theme.ts. */
function adoptThemeTokens(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(themeTokens.cssText.replaceAll(':host', ':root'));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

function renderLegend(list: HTMLElement): void {
  list.replaceChildren(
    ...optimizers().map((spec) => {
      const item = document.createElement('li');
      item.style.setProperty('--optimizer-color', spec.color);
      item.innerHTML = `<svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">${kMarkerIcons[spec.marker]}</svg>`;
      item.append(spec.label);
      return item;
    }),
  );
}

/** The page's counts of optimizers (`data-optimizer-count`, "capital" to start a sentence) from the registry. */
function fillOptimizerCounts(): void {
  const count = optimizerIds().length;
  for (const element of document.querySelectorAll<HTMLElement>('[data-optimizer-count]')) {
    element.textContent = element.dataset.optimizerCount === 'capital' ? capitalizedNumberWord(count) : numberWord(count);
  }
}

/** Shows the WebGPU note (the components still work: they fall back to the CPU reference). */
async function checkWebGPU(): Promise<void> {
  try {
    await sharedGpuDevice();
  } catch (error) {
    const note = document.getElementById('webgpu-note');
    const reason = document.getElementById('webgpu-reason');
    if (reason) reason.textContent = errorMessage(error);
    if (note) note.hidden = false;
  }
}

adoptThemeTokens();
const legend = document.getElementById('optimizer-legend');
if (legend) renderLegend(legend);
fillOptimizerCounts();
void checkWebGPU();
// Classroom links: a chunk of their own (src/ui/page/lesson.ts), loaded after the page's first load.
void import('./ui/page/lesson');
