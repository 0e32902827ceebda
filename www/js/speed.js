// The speed readout: evaluations per second, measured here, in this browser, with the same
// prepared contexts the grid uses. Each measurement runs for a bounded time in short slices so
// the page stays responsive.
import { count, el } from './format.js';

const SLICE_MS = 25;
const MEASURE_MS = 300;
// Total per run: three measurements of MEASURE_MS plus a warm-up slice each, about a second.

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Calls `run(i)` over `n` items repeatedly for about `MEASURE_MS`, after one untimed slice so
 * the JIT has compiled what is timed; returns calls per second.
 */
async function rate(n, run) {
  for (let i = 0, start = performance.now(); performance.now() - start < SLICE_MS; i = (i + 1) % n) run(i);
  await pause();
  let calls = 0;
  let busy = 0;
  let i = 0;
  while (busy < MEASURE_MS) {
    const start = performance.now();
    let now = start;
    while (now - start < SLICE_MS) {
      for (let k = 0; k < 500; k++) {
        run(i);
        i = i + 1 === n ? 0 : i + 1;
      }
      calls += 500;
      now = performance.now();
    }
    busy += now - start;
    await pause();
  }
  return (calls / busy) * 1000;
}

export function createSpeedPanel({ serving, contexts, getSelection }) {
  const $ = (id) => document.getElementById(id);
  const button = $('speed-run');
  let results;

  async function measure() {
    button.disabled = true;
    $('speed-facts').setAttribute('aria-busy', 'true');
    try {
      const { flag } = getSelection();
      const flags = serving.flags;
      const one = await rate(contexts.length, (i) => flags.evaluate(flag, contexts[i]));
      const enabled = await rate(contexts.length, (i) => flags.getValue(flag, contexts[i]));
      const all = await rate(contexts.length, (i) => flags.evaluateAll(contexts[i]));
      results = { flag, evaluate: one, getValue: enabled, evaluateAll: all, flagsPerUser: flags.keys.length };
      const row = (term, perSecond, detail) => [el('dt', { text: term }), el('dd', {}, el('strong', { text: `${count(Math.round(perSecond))} /s` }), ` · ${detail}`)];
      $('speed-facts').replaceChildren(
        ...row(`getValue("${flag}")`, enabled, `${(1e9 / enabled).toFixed(0)} ns each`),
        ...row(`evaluate("${flag}")`, one, `${(1e9 / one).toFixed(0)} ns each, full result object`),
        ...row('evaluateAll()', all, `users per second, ${flags.keys.length} flags each`),
      );
    } finally {
      button.disabled = false;
      $('speed-facts').removeAttribute('aria-busy');
    }
  }

  button.addEventListener('click', measure);
  return { measure, get results() { return results; } };
}
