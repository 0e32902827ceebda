// Medians and spreads of repeated measurements, and ratios taken within one repetition.

const sorted = (xs) => [...xs].sort((a, b) => a - b);

export function quantile(xs, q) {
  const s = sorted(xs);
  const at = (s.length - 1) * q;
  const low = Math.floor(at);
  return s[low] + (s[Math.ceil(at)] - s[low]) * (at - low);
}

export const median = (xs) => quantile(xs, 0.5);

/** `{median, low, high}`: the median and the interquartile range. */
export const summary = (xs) => ({ median: median(xs), low: quantile(xs, 0.25), high: quantile(xs, 0.75), n: xs.length });

/** Median of the per-repetition ratios `xs[i] / base[i]` (both measured in repetition i). */
export const ratio = (xs, base) => median(xs.map((x, i) => x / base[i]));
