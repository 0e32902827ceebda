// The synthetic users: deterministic (a seeded generator), so every run, test and CLI check
// sees the same 10,000 people.

const APP_VERSIONS = [
  ['4.4.0', 30], ['4.3.1', 30], ['4.2.0', 25], ['4.1.2', 9], ['4.0.3', 6],
];
const COUNTRIES = ['DE', 'US', 'FR', 'GB', 'BR', 'JP', 'IN', 'NL', 'ES', 'PL'];
const STAFF_PER_THOUSAND = 8;

// mulberry32: a tiny, well-mixed 32-bit generator.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted(random, table) {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table.at(-1)[0];
}

/** `count` users: `{targetingKey, email, appVersion, country}`, the same for the same seed. */
export function makePopulation(count = 10_000, seed = 2026) {
  const random = generator(seed);
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const staff = random() * 1000 < STAFF_PER_THOUSAND;
    return {
      targetingKey: `user-${n}`,
      email: staff ? `person${n}@example.com` : `person${n}@mail.test`,
      appVersion: weighted(random, APP_VERSIONS),
      country: COUNTRIES[Math.floor(random() * COUNTRIES.length)],
    };
  });
}
