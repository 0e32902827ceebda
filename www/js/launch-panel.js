// The dark-launch panel: chooses the flag and the stage (the instant the schedule is evaluated
// at), evaluates every user, and shows who is in, who was let in and who dropped out, with the
// rollout's share against its target.
import { changes, decide, JOINED, LEFT } from './decisions.js';
import { count, day, el, percent, utc } from './format.js';
import { createGrid } from './grid.js';
import { scheduleFor } from './schedule.js';

const KIND_ORDER = { arm: 0, rule: 1, 'off-rule': 2, off: 3, error: 4 };

export function createLaunchPanel({ serving, users, contexts, onStep, onPickUser }) {
  const $ = (id) => document.getElementById(id);
  const select = $('flag-select');
  const canvas = $('grid');
  const grid = createGrid(canvas, { count: users.length, onPick: onPickUser });
  let stages = [];
  let owner;
  let step = 0;
  let previous;
  let current;
  let change = new Uint8Array(users.length);

  function fillFlags() {
    const keys = serving.flags.keys;
    const chosen = keys.includes(select.value) ? select.value : keys[0];
    select.replaceChildren(...keys.map((key) => el('option', { value: key, text: key })));
    select.value = chosen;
  }

  function fillStages() {
    ({ owner, stages } = scheduleFor(serving.document, select.value));
    step = Math.min(step, Math.max(0, stages.length - 1));
    $('stage-buttons').replaceChildren(...stages.map((stage, i) => el('button', {
      type: 'button',
      'data-step': i,
      'aria-pressed': String(i === step),
      text: `${percent(stage.percent, 4)}`,
    }, el('small', { text: day(stage.at) }))));
  }

  function now() {
    return stages[step]?.at ?? Date.now();
  }

  /** Re-evaluates everyone and repaints; `compare` says whether to highlight changes. */
  function evaluate({ compare }) {
    const at = now();
    for (const context of contexts) context.now = at;
    previous = compare ? current : undefined;
    current = decide(serving.flags, select.value, contexts, serving.document, at);
    change = changes(previous, current);
    grid.show({ category: current.category, colours: current.categories.map((c) => c.colour), change });
    render();
    onStep({ flag: select.value, now: at });
  }

  function render() {
    const stage = stages[step];
    for (const button of $('stage-buttons').children) button.setAttribute('aria-pressed', String(Number(button.dataset.step) === step));
    $('step-back').disabled = step === 0;
    $('step-next').disabled = step >= stages.length - 1;
    $('launch-time').textContent = stage
      ? `Evaluated at ${utc(stage.at)}: stage ${step + 1} of ${stages.length} of the ${owner} schedule, ${percent(stage.percent, 4)} of the users who reach its rollout.`
      : `Evaluated now (${utc(Date.now())}): this flag has no schedule.`;
    renderShare();
    renderChange();
    renderLegend();
    const exposed = current.exposed.reduce((a, b) => a + b, 0);
    canvas.setAttribute('aria-label', `${current.flag}: ${count(exposed)} of ${count(users.length)} users get the new experience`);
  }

  function renderShare() {
    const rollout = current.rollout;
    const box = $('rollout-share');
    if (!rollout || rollout.reaching === 0) {
      box.replaceChildren('No user reaches a rollout of this flag right now.');
      box.dataset.within = '';
      return;
    }
    const p = rollout.target / 100;
    const share = rollout.inside / rollout.reaching;
    const sigma = Math.sqrt((p * (1 - p)) / rollout.reaching);
    const low = Math.max(0, p - 3 * sigma);
    const high = Math.min(1, p + 3 * sigma);
    const within = share >= low - 1e-12 && share <= high + 1e-12;
    box.dataset.within = String(within);
    box.replaceChildren(
      el('strong', { text: `${count(rollout.inside)} of ${count(rollout.reaching)}` }),
      ` users who reach the rollout are in: ${percent(share * 100)} against a target of ${percent(rollout.target, 4)} `,
      el('span', { class: within ? 'ok' : 'bad', text: within ? `(within 3σ: ${percent(low * 100)}–${percent(high * 100)})` : `(outside 3σ: ${percent(low * 100)}–${percent(high * 100)})` }),
    );
  }

  function renderChange() {
    let joined = 0;
    let left = 0;
    for (const c of change) {
      if (c === 1) joined++;
      else if (c === 2) left++;
    }
    const box = $('step-change');
    box.dataset.joined = String(joined);
    box.dataset.left = String(left);
    if (!previous) {
      box.replaceChildren('Step through the stages to see who is let in and who drops out.');
      return;
    }
    box.replaceChildren(
      el('span', { class: 'swatch', style: `background:${JOINED}` }), ` ${count(joined)} newly let in`, ' · ',
      el('span', { class: 'swatch', style: `background:${LEFT}` }), ` ${count(left)} dropped out`,
      joined + left === 0 ? ' · nobody changed' : '',
    );
  }

  function renderLegend() {
    const rows = [...current.categories].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.slot ?? 0) - (b.slot ?? 0) || b.count - a.count);
    $('legend-rows').replaceChildren(...rows.map((c) => el('tr', {},
      el('td', {}, el('span', { class: 'swatch', style: `background:${c.colour}` }), ` ${c.label}`),
      el('td', { class: 'num', text: count(c.count) }),
      el('td', { class: 'num', text: percent((c.count / users.length) * 100) }),
    )));
  }

  function go(next) {
    if (next < 0 || next >= stages.length || next === step) return;
    step = next;
    evaluate({ compare: true });
  }

  $('stage-buttons').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-step]');
    if (button) go(Number(button.dataset.step));
  });
  $('step-back').addEventListener('click', () => go(step - 1));
  $('step-next').addEventListener('click', () => go(step + 1));
  select.addEventListener('change', () => {
    fillStages();
    evaluate({ compare: false });
  });
  // A new snapshot: same stage index, compared with what was served before.
  serving.onChange(() => {
    fillFlags();
    fillStages();
    evaluate({ compare: true });
  });

  fillFlags();
  fillStages();
  evaluate({ compare: false });

  return {
    /** The page's state for tests and tools: what each user gets at the current step. */
    state() {
      return {
        flag: current.flag,
        now: current.now,
        step,
        stages: stages.map((s) => ({ ...s })),
        exposed: Array.from(current.exposed),
        change: Array.from(change),
        rollout: current.rollout && { ...current.rollout },
        categories: current.categories.map(({ label, kind, count: n }) => ({ label, kind, count: n })),
      };
    },
    go,
    focusUser: grid.focusUser,
  };
}
