// Boots the demo: fetches the server's public keyring and snapshot list, verifies the first
// snapshot with the npm package's browser build, prepares the synthetic users once, and wires
// the panels together. `window.__demo` exposes the page's state to tests and the curious.
import { createExplainPanel } from './explain-panel.js';
import { createLaunchPanel } from './launch-panel.js';
import { makePopulation } from './population.js';
import { createServing } from './serving.js';
import { createSnapshotPanel } from './snapshot-panel.js';
import { createSpeedPanel } from './speed.js';

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function boot() {
  const status = document.getElementById('boot-status');
  const index = await json('/demo/index.json');
  const keyring = await json(index.keyring);
  const serving = createServing({ keys: keyring.keys, environment: index.environment });
  const first = index.snapshots[0];
  const loaded = serving.offer(await (await fetch(first.url)).text());
  if (loaded.status !== 'loaded') throw loaded.error;

  const users = makePopulation();
  const contexts = users.map((user) => serving.flags.context(user));
  let selection = { flag: serving.flags.keys[0], now: Date.now() };
  const getSelection = () => selection;

  const snapshot = createSnapshotPanel({ serving, choices: index.snapshots, environment: index.environment });
  const explain = createExplainPanel({ serving, getSelection });
  const launch = createLaunchPanel({
    serving,
    users,
    contexts,
    onStep(next) {
      selection = next;
      explain.refresh();
    },
    onPickUser(i) {
      explain.show(users[i]);
      const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
      document.getElementById('explain').scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'nearest' });
    },
  });
  const speed = createSpeedPanel({ serving, contexts, getSelection });

  window.__demo = {
    users,
    state: () => launch.state(),
    go: (step) => launch.go(step),
    snapshot: () => ({
      version: serving.flags.version.toString(),
      keyIds: [...serving.flags.keyIds],
      environment: serving.flags.environment,
      digest: serving.flags.digest,
      lastRejection: snapshot.lastRejection,
    }),
    explanation: () => explain.last,
    speed: () => speed.results,
    ready: false,
  };
  explain.show(users[0]);
  launch.focusUser(0);
  status.textContent = `Ready: ${users.length.toLocaleString('en-US')} synthetic users prepared, the snapshot verified in this browser.`;
  await speed.measure();
  window.__demo.ready = true;
  document.body.dataset.ready = 'true';
}

boot().catch((error) => {
  const status = document.getElementById('boot-status');
  status.className = 'boot failed';
  status.textContent = `The demo could not start: ${error?.code ? `${error.code}: ` : ''}${error?.message ?? error}`;
  console.error(error);
});
