// A Cloudflare Worker gating its checkout with OpenFeature and darklaunch. The signed snapshot
// is in Workers KV (binding FLAGS, key "snapshot"); the pinned public keys are a JSON variable
// (FLAGS_KEYS). The server SDK needs `compatibility_flags = ["nodejs_compat"]`.
import { OpenFeature } from '@openfeature/server-sdk';
import { Flags } from 'darklaunch'; // the workerd entry: imports the .wasm as a module
import { DarklaunchProvider, SnapshotSource } from 'darklaunch/openfeature/server';

let ready; // one provider per isolate, set up by its first request

function flagsFor(env) {
  ready ??= (async () => {
    const source = new SnapshotSource(Flags, {
      read: () => env.FLAGS.get('snapshot', 'arrayBuffer'),
      keys: JSON.parse(env.FLAGS_KEYS),
      environment: 'prod',
      timers: false, // timers do not outlive a request: refreshed on demand below
    });
    // Until a snapshot verifies, evaluations give the defaults and later requests retry.
    await OpenFeature.setProviderAndWait(new DarklaunchProvider(source)).catch(() => {});
    return source;
  })();
  return ready;
}

export default {
  async fetch(request, env, ctx) {
    const source = await flagsFor(env);
    ctx.waitUntil(source.refreshIfOlderThan(60_000)); // in the background, at most once a minute
    const context = {
      targetingKey: request.headers.get('x-user-id') ?? undefined,
      email: request.headers.get('x-email') ?? undefined,
      country: request.cf?.country,
    };
    const checkout = await OpenFeature.getClient().getBooleanDetails('new-checkout', false, context);
    return new Response(checkout.value ? 'one-page checkout\n' : 'classic checkout\n', {
      headers: { 'x-flag-reason': checkout.reason, 'x-flag-version': checkout.flagMetadata.snapshotVersion ?? '' },
    });
  },
};
