// A Node server gating its checkout with OpenFeature and darklaunch. The signed snapshot is
// polled from where CI publishes it; the version last accepted is kept on disk, so even after
// a restart an older snapshot (a rollback attack or a stale cache) is refused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

import { OpenFeature } from '@openfeature/server-sdk';
import { Flags } from 'darklaunch';
import { DarklaunchProvider, SnapshotSource } from 'darklaunch/openfeature/server';

const lastFile = process.env.FLAGS_LAST_FILE ?? 'flags-last.json';
const source = new SnapshotSource(Flags, {
  url: process.env.FLAGS_URL, // e.g. https://cdn.example.com/flags/prod.json
  keys: { [process.env.FLAGS_KEY_ID]: process.env.FLAGS_PUBLIC_KEY }, // pinned public keys
  environment: 'prod',
  last: existsSync(lastFile) ? JSON.parse(readFileSync(lastFile, 'utf8')) : undefined,
  pollMs: 30_000,
});
source.subscribe((note) => {
  if (note.type === 'accepted') writeFileSync(lastFile, JSON.stringify(source.accepted));
});
await OpenFeature.setProviderAndWait(new DarklaunchProvider(source));
const flags = OpenFeature.getClient();

const server = createServer(async (request, response) => {
  const context = { targetingKey: request.headers['x-user-id'], email: request.headers['x-email'] };
  const checkout = await flags.getBooleanDetails('new-checkout', false, context);
  response.setHeader('x-flag-reason', checkout.reason);
  response.end(checkout.value ? 'one-page checkout\n' : 'classic checkout\n');
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', async () => {
  server.close();
  await OpenFeature.close(); // stops the poll timer
});
