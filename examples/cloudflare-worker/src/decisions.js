// Every flag for one request, evaluated once with a prepared context. Evaluation is
// synchronous, so a background refresh swapping the snapshot cannot land in the middle:
// one response, one snapshot version.

// Header values beyond this are cut at a flag boundary (proxies reject headers of 8–16 KiB).
const MAX_HEADER = 4096;

/**
 * `{ version, stale, values, header }`: the snapshot version (a decimal string, or null when
 * serving defaults), whether it is past `expires`, each flag's value, and the decisions as
 * `flag=variant` pairs joined by commas (keys and variants never contain `,` or `=`).
 * Flags that served no variant (an evaluation error) are left out of the header.
 */
export function decide(flags, context, now) {
  if (flags === undefined) return { version: null, stale: false, values: {}, header: '' };
  const prepared = flags.context(context, { now });
  let all;
  try {
    all = flags.evaluateAll(prepared);
  } finally {
    prepared.free();
  }
  const values = {};
  let header = '';
  for (const [key, evaluation] of Object.entries(all)) {
    values[key] = evaluation.value;
    if (evaluation.variant === null) continue;
    const pair = `${header === '' ? '' : ','}${key}=${evaluation.variant}`;
    if (header.length + pair.length <= MAX_HEADER) header += pair;
  }
  return { version: flags.version.toString(), stale: now >= flags.expires, values, header };
}
