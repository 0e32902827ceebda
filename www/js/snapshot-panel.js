// The snapshot panel: what is being served (version, key, environment, times, verification),
// offers of other snapshots (the server's list, a file, a paste, a tampered copy), and a log
// that shows each rejection next to the snapshot that kept serving.
import { tamper } from './envelope.js';
import { el, utc } from './format.js';

export function createSnapshotPanel({ serving, choices, environment }) {
  const $ = (id) => document.getElementById(id);
  const log = $('snapshot-log');
  let lastRejection;

  function renderFacts() {
    const flags = serving.flags;
    const fresh = Date.now() < flags.expires;
    const status = $('snapshot-status');
    status.className = 'status ok';
    status.dataset.state = 'verified';
    status.dataset.version = flags.version.toString();
    status.replaceChildren(
      el('strong', { text: `✓ Serving v${flags.version}` }),
      ` — signature verified with ${flags.keyIds.join(', ')}, environment "${flags.environment}", ${fresh ? 'fresh' : 'stale'}.`,
    );
    const facts = [
      ['Version', flags.version.toString()],
      ['Signed by (key id)', flags.keyIds.join(', ')],
      ['Environment', flags.environment],
      ['Issued', utc(flags.issuedAt)],
      ['Expires', utc(flags.expires)],
      ['Flags', flags.keys.join(', ')],
      ['Payload SHA-256', flags.digest],
    ];
    $('snapshot-facts').replaceChildren(...facts.flatMap(([term, value]) => [
      el('dt', { text: term }),
      el('dd', { text: value, class: term === 'Payload SHA-256' ? 'digest' : undefined }),
    ]));
  }

  // The rejection stays next to the status (which did not change) until a snapshot is accepted.
  function showRejection({ label, code, message }, version) {
    const box = $('snapshot-rejection');
    box.dataset.code = code;
    box.replaceChildren(
      el('strong', { text: `✗ Rejected ${label}: ` }), el('code', { text: code }),
      el('br'), `${message}. v${version} keeps serving: nothing above changed.`,
    );
    box.hidden = false;
    const status = $('snapshot-status');
    status.classList.remove('flash');
    void status.offsetWidth; // restart the highlight when two rejections come in a row
    status.classList.add('flash');
  }

  function record(kind, title, detail) {
    const time = new Date().toISOString().slice(11, 19);
    log.prepend(el('li', { class: kind }, el('time', { text: time }), ' ', el('strong', { text: title }), detail ? el('span', { class: 'detail', text: detail }) : undefined));
    while (log.children.length > 8) log.lastChild.remove();
  }

  /** Offers envelope text to the serving snapshot and logs what happened. */
  function offer(text, label, detail) {
    const before = serving.flags?.version;
    const result = serving.offer(text);
    if (result.status === 'loaded') {
      $('snapshot-rejection').hidden = true;
      record('accepted', `✓ ${label}: accepted, now serving v${serving.flags.version}`, detail);
    } else if (result.status === 'unchanged') {
      record('unchanged', `= ${label}: the same snapshot, nothing to do`, detail);
    } else {
      const code = result.error?.code ?? 'GENERAL';
      lastRejection = { label, code, message: String(result.error?.message ?? result.error) };
      record('rejected', `✗ ${label}: rejected with ${code}`, `${detail ? `${detail} ` : ''}${lastRejection.message}. Still serving v${before}, unchanged.`);
      showRejection(lastRejection, before);
    }
    return result;
  }

  async function offerUrl(choice) {
    try {
      const response = await fetch(choice.url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      offer(await response.text(), choice.title);
    } catch (error) {
      record('rejected', `✗ ${choice.title}: could not be fetched`, `${error.message}. Still serving v${serving.flags.version}.`);
    }
  }

  $('snapshot-choices').replaceChildren(...choices.map((choice) => el('li', {},
    el('button', { type: 'button', 'data-snapshot': choice.name, text: `Load ${choice.title}` }),
    ' ',
    el('a', { href: choice.url, download: `${choice.name}.json`, text: 'download' }),
    el('p', { class: 'hint', text: choice.description }),
  )));
  $('snapshot-choices').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-snapshot]');
    const choice = button && choices.find((c) => c.name === button.dataset.snapshot);
    if (choice) offerUrl(choice);
  });
  $('snapshot-file').addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    if (file) offer(await file.text(), `file ${file.name}`);
    event.target.value = '';
  });
  $('snapshot-paste-load').addEventListener('click', () => {
    const text = $('snapshot-paste').value.trim();
    if (text) offer(text, 'pasted snapshot');
  });
  $('tamper').addEventListener('click', () => {
    const forged = tamper(serving.text);
    offer(forged.text, `tampered copy of v${serving.flags.version}`,
      `Flipped one bit of payload byte ${forged.offset}: …${forged.excerptBefore}… became …${forged.excerptAfter}…, signatures kept.`);
  });

  serving.onChange(renderFacts);
  renderFacts();
  record('accepted', `✓ ${choices[0]?.title ?? 'snapshot'}: verified and loaded for environment "${environment}"`);

  return {
    offer,
    get lastRejection() { return lastRejection; },
  };
}
