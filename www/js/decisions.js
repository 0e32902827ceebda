// One flag's decision for every user at one instant, grouped into the categories the grid
// colours, and compared with the previous step (who was let in, who dropped out).
import { arms, defaultRollout, targetPercent } from './schedule.js';

// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
export const JOINED = '#E69F00';
export const LEFT = '#D55E00';
const ARM_COLOURS = ['#0072B2', '#56B4E9', '#CC79A7', '#F0E442', '#7A5195'];
const RULE_COLOURS = ['#009E73', '#3FBF9A'];
const OFF = '#E1E4E8';
const OFF_BY_RULE = '#A2A9B3';
const ERROR = '#1F2328';

/** How one evaluation is shown: a category (label, colour) and whether the user is exposed. */
function classify(result, flag, document, inside) {
  const definition = document?.flags?.[flag] ?? {};
  const ruleId = result.rule === null ? undefined : definition.rules?.[result.rule]?.id ?? `#${result.rule}`;
  const off = result.variant === null || result.variant === definition.off;
  switch (result.reason) {
    case 'ERROR':
      return { key: `error:${result.errorCode}`, label: `error · ${result.errorCode}`, kind: 'error', exposed: false };
    case 'DISABLED':
      return { key: 'disabled', label: `${result.variant} · flag disabled (kill switch)`, kind: 'off', exposed: false };
    case 'SPLIT':
      return inside.has(result.variant)
        ? { key: `arm:${result.variant}`, label: `${result.variant} · in the rollout`, kind: 'arm', slot: variantSlot(definition, result.variant), exposed: true }
        : { key: 'outside', label: `${result.variant} · outside the rollout`, kind: 'off', exposed: false };
    case 'TARGETING_MATCH':
      return off
        ? { key: `rule-off:${ruleId}`, label: `${result.variant} · rule ${ruleId}`, kind: 'off-rule', exposed: false }
        : { key: `rule:${ruleId}:${result.variant}`, label: `${result.variant} · rule ${ruleId}`, kind: 'rule', slot: result.rule, exposed: true };
    default: {
      const why = result.reason === 'DEFAULT' && off ? prerequisiteLabel(definition) : result.reason.toLowerCase();
      const slot = variantSlot(definition, result.variant);
      return { key: `${result.reason}:${result.variant}`, label: `${result.variant} · ${why}`, kind: off ? 'off' : 'arm', slot, exposed: !off };
    }
  }
}

function prerequisiteLabel(definition) {
  const names = (definition.prerequisites ?? []).map((p) => `${p.flag} = ${p.variant}`);
  return names.length ? `needs ${names.join(', ')}` : 'default';
}

// Colours follow the variant's (or rule's) position in the flag, so they never move between steps.
function variantSlot(definition, variant) {
  return Math.max(0, Object.keys(definition.variants ?? {}).indexOf(variant));
}

function colourFor(kind, slot = 0) {
  if (kind === 'arm') return ARM_COLOURS[slot % ARM_COLOURS.length];
  if (kind === 'rule') return RULE_COLOURS[slot % RULE_COLOURS.length];
  if (kind === 'off-rule') return OFF_BY_RULE;
  if (kind === 'error') return ERROR;
  return OFF;
}

/**
 * Evaluates `flag` for every prepared context (their `now` is already set). Returns the
 * category index per user, the categories, who is exposed and the rollout's share.
 */
export function decide(flags, flag, contexts, document, now) {
  const rollout = defaultRollout(document, flag);
  const inside = arms(rollout);
  const categories = [];
  const byKey = new Map();
  const category = new Uint8Array(contexts.length);
  const exposed = new Uint8Array(contexts.length);
  let reaching = 0;
  let insideCount = 0;
  for (let i = 0; i < contexts.length; i++) {
    const result = flags.evaluate(flag, contexts[i]);
    const shown = classify(result, flag, document, inside);
    let index = byKey.get(shown.key);
    if (index === undefined) {
      index = categories.length;
      byKey.set(shown.key, index);
      categories.push({ ...shown, colour: colourFor(shown.kind, shown.slot), count: 0 });
    }
    categories[index].count++;
    category[i] = index;
    exposed[i] = shown.exposed ? 1 : 0;
    if (result.reason === 'SPLIT') {
      reaching++;
      if (shown.kind === 'arm') insideCount++;
    }
  }
  return {
    flag,
    now,
    category,
    categories,
    exposed,
    rollout: rollout && { reaching, inside: insideCount, target: targetPercent(rollout, now) },
  };
}

/** Per user: 1 let in since `previous`, 2 dropped out, 0 unchanged (all 0 without `previous`). */
export function changes(previous, current) {
  const change = new Uint8Array(current.exposed.length);
  if (!previous || previous.flag !== current.flag) return change;
  for (let i = 0; i < change.length; i++) {
    if (current.exposed[i] && !previous.exposed[i]) change[i] = 1;
    else if (!current.exposed[i] && previous.exposed[i]) change[i] = 2;
  }
  return change;
}
