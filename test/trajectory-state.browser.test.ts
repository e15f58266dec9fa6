/** <trajectory-race>: the optimizer state drawn in step mode, and the lr slider rerunning the race. */
import { afterEach, describe, expect, it } from 'vitest';
import '../src/ui/trajectory-race/trajectory-race';
import type { RaceFinishedDetail, TrajectoryRace } from '../src/ui/trajectory-race/trajectory-race';

afterEach(() => {
  document.body.replaceChildren();
  // The element keeps its settings in the URL hash: the next test starts from a clean URL.
  history.replaceState(null, '', location.pathname + location.search);
});

const nextRace = (el: TrajectoryRace): Promise<RaceFinishedDetail> =>
  new Promise((resolve) => el.addEventListener('race-finished', (e) => resolve(e.detail), { once: true }));

async function mount(): Promise<TrajectoryRace> {
  const el = document.createElement('trajectory-race');
  const finished = nextRace(el);
  document.body.append(el);
  await finished;
  await el.updateComplete;
  return el;
}

describe('<trajectory-race> state and sliders', () => {
  it('step mode draws the gradient, velocity and step arrows and lists the numbers', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('.state')).toBeNull();
    root.querySelector<HTMLButtonElement>('[aria-label="next step"]')!.click();
    await el.updateComplete;
    const momentum = root.querySelector('.panel[data-racer="momentum"]')!;
    const kinds = [...momentum.querySelectorAll('.state-arrow')].map((a) => a.getAttribute('data-kind'));
    expect(kinds).toEqual(expect.arrayContaining(['velocity', 'gradient', 'step']));
    const table = momentum.querySelector('table.state-panel')!;
    expect(table.getAttribute('aria-label')).toBe('Momentum state at step 1');
    // Step 1 of Momentum (lr 0.1) from (-7, 2): g = (-0.7, 4), v = -0.1 g = (0.07, -0.4).
    const row = (name: string) => [...table.querySelectorAll(`tr[data-row="${name}"] .num`)].map((n) => n.textContent);
    expect(row('gradient')).toEqual(['−0.700000', '4.000000']);
    expect(row('v')).toEqual(['0.070000', '−0.400000']);
    expect(root.querySelector('.panel[data-racer="adam"] .state-scale')).not.toBeNull();
  });

  it('the log lr slider reruns the race with the new lr', async () => {
    const el = await mount();
    const slider = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="range"][aria-label="SGD learning rate, log scale"]')!;
    expect(Number(slider.value)).toBeCloseTo(Math.log10(0.95), 2);
    const rerun = nextRace(el);
    slider.value = '-1';
    slider.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    const detail = await rerun;
    expect(detail.results.find((r) => r.optimizer === 'sgd')!.hyperparameters.lr).toBe(0.1);
  });
});
