// Compiled (not run) by types.test.mjs: the providers' hand-written types against the real
// SDK types, as an app in TypeScript uses them.
import { OpenFeature as ServerFeature, type Provider as ServerProvider } from '@openfeature/server-sdk';
import { OpenFeature as WebFeature, type Provider as WebProvider } from '@openfeature/web-sdk';
import { Flags } from 'darklaunch';
import { DarklaunchProvider, FetchError, SnapshotSource, type SourceNote } from 'darklaunch/openfeature/server';
import { DarklaunchWebProvider, SnapshotSource as WebSource } from 'darklaunch/openfeature/web';

const source: SnapshotSource = new SnapshotSource(Flags, {
  url: 'https://cdn.example.com/flags/prod.json',
  keys: { 'ci-2026': 'MCowBQYDK2VwAyEA' },
  environment: 'prod',
  last: { version: '7', digest: 'ab' },
  pollMs: 30_000,
});
const server: ServerProvider = new DarklaunchProvider(source);
await ServerFeature.setProviderAndWait(server);
const enabled: boolean = await ServerFeature.getClient().getBooleanValue('new-checkout', false, { targetingKey: 'u' });

const web: WebProvider = new DarklaunchWebProvider(new WebSource(Flags, { read: async () => null, keys: {}, environment: 'prod', timers: false }));
await WebFeature.setProviderAndWait(web, { targetingKey: 'u' });
const copy: string = WebFeature.getClient().getStringValue('checkout-copy', 'Buy now');

const unsubscribe: () => void = source.subscribe((note: SourceNote) => {
  if (note.type === 'accepted') console.log(note.changed.join(), source.accepted?.version);
  if (note.type === 'failed' && note.error instanceof FetchError) console.log(note.error.status);
});
const replaced: boolean = source.update(new Uint8Array(0));
const refreshed: boolean | undefined = await source.refreshIfOlderThan(60_000);
console.log(enabled, copy, replaced, refreshed, source.flags?.version, source.typeOf('x'), unsubscribe);

// @ts-expect-error the source needs the Flags class, not an instance
new SnapshotSource(Flags.load('', { keys: {}, environment: 'prod' }), { bytes: '', keys: {}, environment: 'prod' });
