// One gated request, in plain web-platform code: the same handler runs under Deno and
// Vercel's edge-runtime (each test supplies `darklaunch` its own way).
import { Flags } from 'darklaunch';

/** A fetch handler answering "new checkout" or "old checkout" by the new-checkout flag. */
export function gatedHandler(snapshot, keys, environment) {
  const flags = Flags.load(snapshot, { keys, environment });
  return (request) => {
    const context = flags.context({
      targetingKey: request.headers.get('x-user-id') ?? 'anonymous',
      country: request.headers.get('cf-ipcountry') ?? undefined,
    });
    try {
      const on = flags.isEnabled('new-checkout', context);
      return new Response(on ? 'new checkout' : 'old checkout', { headers: { 'x-darklaunch-version': String(flags.version) } });
    } finally {
      context.free();
    }
  };
}
