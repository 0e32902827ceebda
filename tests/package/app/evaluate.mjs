// What every fixture does with the installed package: load the snapshot the test signed,
// evaluate, and report plain JSON that package.test.mjs compares across runtimes.
export function evaluate({ Flags, SnapshotError, buildInfo }, snapshot, keys) {
  const flags = Flags.load(snapshot, { keys, environment: 'test' });
  const berlin = flags.context({ targetingKey: 'user-42', country: 'DE' });
  const boston = flags.context({ targetingKey: 'user-42', country: 'US' });
  const { value, variant, reason, rule } = flags.evaluate('new-checkout', berlin);
  const result = {
    enabled: flags.isEnabled('new-checkout', berlin),
    elsewhere: flags.isEnabled('new-checkout', boston),
    copy: flags.getValue('checkout-copy', boston, 'fallback'),
    evaluation: { value, variant, reason, rule },
    version: String(flags.version),
    refused: refusal(() => Flags.load('{"not": "an envelope"}', { keys, environment: 'test' }), SnapshotError),
    buildVersion: buildInfo.version,
  };
  berlin.free();
  boston.free();
  flags.free();
  return result;
}

function refusal(load, SnapshotError) {
  try {
    load();
    return 'loaded';
  } catch (error) {
    return error instanceof SnapshotError ? error.code : `not a SnapshotError: ${error}`;
  }
}
