// The worker's configuration, read once per isolate from its environment (wrangler.toml
// [vars] and bindings; the README's "Configuration" table documents every name).

export class ConfigError extends Error {
  constructor(message) {
    super(`darklaunch worker configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

const STALE_POLICIES = new Set(['serve', 'defaults']);
const NAME = /^[A-Za-z0-9._:-]{1,128}$/;

function seconds(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${name} must be a number of seconds ≥ 0, got ${JSON.stringify(raw)}`);
  return value * 1000;
}

function httpUrl(raw, name) {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url;
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
}

function rawLength(base64) {
  try {
    return atob(base64.replace(/-/g, '+').replace(/_/g, '/')).length;
  } catch {
    return -1;
  }
}

function keys(env) {
  let parsed = env.DARKLAUNCH_KEYS;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      throw new ConfigError('DARKLAUNCH_KEYS must be a JSON object {"key-id": "<base64 public key>"}');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    throw new ConfigError('DARKLAUNCH_KEYS must name at least one public key');
  }
  for (const [id, key] of Object.entries(parsed)) {
    if (!NAME.test(id) || typeof key !== 'string' || rawLength(key) !== 32) {
      throw new ConfigError(`DARKLAUNCH_KEYS["${id}"] must be the base64 of a raw 32-byte Ed25519 public key`);
    }
  }
  return parsed;
}

function flagName(env, name, fallback) {
  const value = env[name] ?? fallback;
  if (!NAME.test(value)) throw new ConfigError(`${name} must be a flag key, got ${JSON.stringify(value)}`);
  return value;
}

// A decimal u64, or undefined when unset.
function minVersion(env) {
  const raw = env.DARKLAUNCH_MIN_VERSION;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,20}$/.test(raw) || BigInt(raw) > 0xffff_ffff_ffff_ffffn) {
    throw new ConfigError(`DARKLAUNCH_MIN_VERSION must be a snapshot version (a whole number), got ${JSON.stringify(raw)}`);
  }
  return BigInt(raw);
}

/** Validates `env` into the plain settings the worker uses; throws ConfigError. */
export function readConfig(env) {
  const environment = env.DARKLAUNCH_ENVIRONMENT;
  if (typeof environment !== 'string' || environment === '') throw new ConfigError('DARKLAUNCH_ENVIRONMENT is required (e.g. "prod")');
  const stalePolicy = env.DARKLAUNCH_STALE_POLICY ?? 'serve';
  if (!STALE_POLICIES.has(stalePolicy)) throw new ConfigError(`DARKLAUNCH_STALE_POLICY must be "serve" or "defaults", got ${JSON.stringify(stalePolicy)}`);
  const url = env.DARKLAUNCH_SNAPSHOT_URL;
  if (!url && !env.SNAPSHOTS) throw new ConfigError('bind a KV namespace as SNAPSHOTS, or set DARKLAUNCH_SNAPSHOT_URL');
  const maxBytes = Number(env.DARKLAUNCH_MAX_SNAPSHOT_BYTES ?? 4 * 1024 * 1024);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new ConfigError('DARKLAUNCH_MAX_SNAPSHOT_BYTES must be a positive integer');
  const threshold = env.DARKLAUNCH_KEY_THRESHOLD === undefined ? undefined : Number(env.DARKLAUNCH_KEY_THRESHOLD);
  if (threshold !== undefined && !(Number.isSafeInteger(threshold) && threshold >= 1)) {
    throw new ConfigError('DARKLAUNCH_KEY_THRESHOLD must be a whole number ≥ 1');
  }
  return {
    keys: keys(env),
    threshold,
    environment,
    source: url ? { url: httpUrl(url, 'DARKLAUNCH_SNAPSHOT_URL').href } : { kv: env.SNAPSHOTS, key: env.DARKLAUNCH_SNAPSHOT_KEY || 'snapshot' },
    refreshMs: seconds(env, 'DARKLAUNCH_REFRESH_SECONDS', 60),
    stalePolicy,
    minVersion: minVersion(env),
    staleGraceMs: seconds(env, 'DARKLAUNCH_STALE_GRACE_SECONDS', 3600),
    maxSnapshotBytes: maxBytes,
    origins: { blue: httpUrl(env.BLUE_ORIGIN, 'BLUE_ORIGIN'), green: httpUrl(env.GREEN_ORIGIN, 'GREEN_ORIGIN') },
    routingFlag: flagName(env, 'DARKLAUNCH_ROUTING_FLAG', 'origin'),
    htmlFlag: flagName(env, 'DARKLAUNCH_HTML_FLAG', 'checkout-copy'),
    userHeader: (env.DARKLAUNCH_USER_HEADER || 'x-user-id').toLowerCase(),
    userCookie: env.DARKLAUNCH_USER_COOKIE || 'uid',
    anonymousCookie: env.DARKLAUNCH_ANONYMOUS_COOKIE || 'dl_anon',
  };
}
