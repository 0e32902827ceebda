// The evaluation context of one request. Targeting key: the signed-in user id when the
// request carries one (header, then cookie), otherwise the sticky anonymous id cookie,
// created with crypto.randomUUID() on the first visit. Everything here is plain web
// platform code (no Workers API besides request.cf), and never throws on odd input.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_ID = /^[\x21-\x7e]{1,256}$/; // visible ASCII: no spaces, quotes are fine
const COUNTRY = /^[A-Z0-9]{2}$/; // ISO 3166-1 alpha-2, plus Cloudflare's XX and T1
const MAX_PATH = 1024;
const MAX_USER_AGENT = 512;
const ONE_YEAR = 365 * 24 * 60 * 60;

/** Cookie name → value (the first occurrence wins); malformed pairs are skipped. */
export function parseCookies(header) {
  const cookies = new Map();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** A coarse browser family: enough to target, too coarse to fingerprint. */
export function userAgentFamily(header) {
  const ua = (header ?? '').slice(0, MAX_USER_AGENT);
  if (ua === '') return 'none';
  if (/bot|crawler|spider|slurp|headless/i.test(ua)) return 'bot';
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'edge';
  if (/\b(OPR|Opera)\//.test(ua)) return 'opera';
  if (/\bFirefox\/|\bFxiOS\//.test(ua)) return 'firefox';
  if (/\bChrome\/|\bCriOS\/|\bChromium\//.test(ua)) return 'chrome';
  if (/\bSafari\//.test(ua) && /\bVersion\//.test(ua)) return 'safari';
  if (/^curl\//.test(ua)) return 'curl';
  return 'other';
}

function country(request) {
  const raw = request.cf?.country ?? request.headers.get('cf-ipcountry') ?? '';
  const upper = String(raw).toUpperCase();
  return COUNTRY.test(upper) ? upper : undefined;
}

function userId(request, cookies, config) {
  const fromHeader = request.headers.get(config.userHeader);
  if (fromHeader !== null && USER_ID.test(fromHeader)) return fromHeader;
  const fromCookie = cookies.get(config.userCookie);
  return fromCookie !== undefined && USER_ID.test(fromCookie) ? fromCookie : undefined;
}

function decodePath(pathname) {
  try {
    return decodeURIComponent(pathname).slice(0, MAX_PATH);
  } catch {
    return pathname.slice(0, MAX_PATH);
  }
}

/**
 * `{ context, setCookie }`: the flags context, and the Set-Cookie value to send when the
 * visitor had no valid anonymous id yet (undefined otherwise).
 */
export function visitorOf(request, config) {
  const cookies = parseCookies(request.headers.get('cookie'));
  const existing = cookies.get(config.anonymousCookie);
  const anonymousId = existing !== undefined && UUID.test(existing) ? existing : crypto.randomUUID();
  const user = userId(request, cookies, config);
  const context = {
    targetingKey: user ?? anonymousId,
    anonymousId,
    signedIn: user !== undefined,
    path: decodePath(new URL(request.url).pathname),
    userAgent: userAgentFamily(request.headers.get('user-agent')),
  };
  if (user !== undefined) context.userId = user;
  const where = country(request);
  if (where !== undefined) context.country = where;
  const setCookie = anonymousId === existing
    ? undefined
    : `${config.anonymousCookie}=${anonymousId}; Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age=${ONE_YEAR}`;
  return { context, setCookie };
}
