// The explain panel: one user's evaluation of the chosen flag at the chosen instant, with the
// same fields as the CLI's `darklaunch eval` (value, variant, reason, rule, stage, bucket).
import { el, percent, utc } from './format.js';
import { scheduleFor } from './schedule.js';

const REASONS = {
  STATIC: 'the flag serves one fixed variant',
  TARGETING_MATCH: 'a targeting rule matched',
  SPLIT: 'the user was bucketed by the rollout',
  DISABLED: 'the flag is switched off (kill switch)',
  DEFAULT: 'no rule matched (or a prerequisite failed): the default serve',
  STALE: 'the snapshot is past its expiry',
  ERROR: 'the evaluation failed; the caller’s default applies',
};
const FIELDS = ['targetingKey', 'email', 'appVersion', 'country'];

/** The evaluation in the CLI's `eval` shape (bucket positions as percents, rounded alike). */
export function asCli(explanation) {
  const bucket = explanation.bucket && {
    position: explanation.bucket.position,
    positionPercent: Math.round((Number(BigInt(explanation.bucket.position)) / 2 ** 64) * 100 * 10_000) / 10_000,
    exposurePercent: explanation.bucket.exposure / 10_000,
    inside: explanation.bucket.inside,
  };
  const { flag, value, variant, reason, errorCode, rule, ruleId, stage, failedPrerequisite } = explanation;
  return { flag, value, variant, reason, errorCode, rule, ruleId, stage, failedPrerequisite, bucket };
}

export function createExplainPanel({ serving, getSelection }) {
  const $ = (id) => document.getElementById(id);
  const form = $('explain-form');
  const output = $('explain-output');
  let last;

  function context() {
    const ctx = {};
    for (const name of FIELDS) {
      const value = form.elements[name].value.trim();
      if (value !== '') ctx[name] = value;
    }
    return ctx;
  }

  function bucketView(bucket) {
    const bar = el('div', { class: 'bucket-bar', role: 'presentation' },
      el('span', { class: 'bucket-threshold', style: `width:${Math.min(100, bucket.exposurePercent)}%` }),
      el('span', { class: 'bucket-position', style: `left:${bucket.positionPercent}%` }));
    const verdict = bucket.inside ? 'below the threshold: inside the rollout' : 'at or above the threshold: outside the rollout';
    return [
      el('p', {}, `Position ${percent(bucket.positionPercent, 4)} of the hash space vs threshold ${percent(bucket.exposurePercent, 4)}: `, el('strong', { text: verdict }), '.'),
      bar,
      el('p', { class: 'hint' }, 'Raw 64-bit position ', el('code', { text: bucket.position }), '. Raising the percentage only moves the threshold right, so a user once inside stays inside.'),
    ];
  }

  function explain() {
    const { flag, now } = getSelection();
    const ctx = context();
    const prepared = serving.flags.context(ctx, { now });
    const cli = asCli(serving.flags.explain(flag, prepared));
    prepared.free();
    last = { ...cli, context: ctx, now, version: serving.flags.version.toString() };
    const rules = serving.document?.flags?.[flag]?.rules ?? [];
    const schedule = scheduleFor(serving.document, flag);
    const stages = schedule.owner === flag ? schedule.stages : [];
    const stage = cli.stage === null ? undefined : stages[cli.stage];
    const facts = [
      ['Value', JSON.stringify(cli.value)],
      ['Variant', cli.variant ?? '—'],
      ['Reason', `${cli.reason}${cli.errorCode ? ` (${cli.errorCode})` : ''}: ${REASONS[cli.reason] ?? ''}`],
      ['Matched rule', cli.rule === null ? 'none' : `${cli.ruleId ? `“${cli.ruleId}” ` : ''}(index ${cli.rule}): ${JSON.stringify(rules[cli.rule]?.if ?? {})}`],
      ['Stage', stage ? `${cli.stage + 1} of ${stages.length} (index ${cli.stage}): ${percent(stage.percent, 4)} since ${utc(stage.at)}` : 'none'],
    ];
    if (cli.failedPrerequisite) facts.push(['Failed prerequisite', cli.failedPrerequisite]);
    output.replaceChildren(
      el('p', { class: 'explain-head' }, el('strong', { text: flag }), ` for `, el('code', { text: JSON.stringify(ctx, null, 1).replace(/\s*\n\s*/g, ' ') }), ` at ${utc(now)}, snapshot v${last.version}`),
      el('dl', { class: 'facts', id: 'explain-facts' }, ...facts.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value })])),
      ...(cli.bucket ? bucketView(cli.bucket) : [el('p', { class: 'hint', text: 'No bucketing: a rule or the flag state decided before any rollout.' })]),
      el('details', {}, el('summary', { text: 'The same with the command-line tool' }),
        el('pre', { text: `darklaunch eval --keyring keyring.json --environment ${serving.flags.environment} \\\n  --now ${new Date(now).toISOString()} snapshot.json \\\n  --flag ${flag} --context '${JSON.stringify(ctx)}'` })),
    );
    output.dataset.reason = cli.reason;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    explain();
  });

  return {
    /** Fills the form with a user and explains them. */
    show(user) {
      for (const name of FIELDS) form.elements[name].value = user[name] ?? '';
      explain();
    },
    refresh() {
      if (form.elements.targetingKey.value.trim() !== '') explain();
    },
    get last() { return last; },
  };
}
