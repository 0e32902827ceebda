// A flag's rollout schedule, read from the verified payload: the stages the controls step
// through and the share each one targets (docs/ruleset.md, "Rollouts").

/** The rollout of a flag's default serve, or undefined. */
export function defaultRollout(document, flag) {
  const serve = document?.flags?.[flag]?.default;
  return serve && typeof serve === 'object' ? serve.rollout : undefined;
}

/** Variants with a positive weight: the ones served inside the rollout. */
export function arms(rollout) {
  return new Set(Object.entries(rollout?.variants ?? {}).filter(([, w]) => w > 0).map(([v]) => v));
}

/**
 * The schedule the controls step through: the flag's own stages, or those of the first staged
 * flag when it has none (a flag gated on a launch follows the launch). `{owner, stages: [{at
 * (ms), percent, rollback}]}`.
 */
export function scheduleFor(document, flag) {
  const keys = [flag, ...Object.keys(document?.flags ?? {})];
  const owner = keys.find((key) => Array.isArray(defaultRollout(document, key)?.stages));
  const stages = owner === undefined ? [] : defaultRollout(document, owner).stages;
  return { owner, stages: stages.map((s) => ({ at: Date.parse(s.at), percent: s.percent, rollback: !!s.rollback })) };
}

/** The percent a rollout targets at `now`: its stage (step or linear ramp), or its percent. */
export function targetPercent(rollout, now) {
  if (!rollout) return undefined;
  if (!Array.isArray(rollout.stages)) return rollout.percent ?? 100;
  const stages = rollout.stages.map((s) => ({ at: Date.parse(s.at), percent: s.percent }));
  const next = stages.findIndex((s) => s.at > now);
  if (next === 0) return 0;
  if (next === -1) return stages.at(-1).percent;
  const current = stages[next - 1];
  if (rollout.ramp !== 'linear') return current.percent;
  const upcoming = stages[next];
  return current.percent + ((upcoming.percent - current.percent) * (now - current.at)) / (upcoming.at - current.at);
}
