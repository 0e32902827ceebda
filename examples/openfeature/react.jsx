// A React app gating its checkout with @openfeature/react-sdk and darklaunch. The web provider
// evaluates every flag once for the user and serves the hooks synchronously; a new user or a
// new snapshot re-evaluates once and re-renders.
import { OpenFeature, OpenFeatureProvider, useBooleanFlagValue, useStringFlagValue } from '@openfeature/react-sdk';
import { Flags } from 'darklaunch'; // the browser entry: fetches the .wasm next to it
import { DarklaunchWebProvider, SnapshotSource } from 'darklaunch/openfeature/web';

/** Call once before rendering. `keys`: the pinned public keys, `{ keyId: base64 }`. */
export async function startFlags({ url, keys, user }) {
  const source = new SnapshotSource(Flags, { url, keys, environment: 'prod', pollMs: 60_000 });
  await OpenFeature.setProviderAndWait(new DarklaunchWebProvider(source), contextOf(user));
}

/** On sign-in or sign-out. */
export function switchUser(user) {
  return OpenFeature.setContext(contextOf(user));
}

function contextOf(user) {
  return { targetingKey: user.id, email: user.email };
}

function Checkout() {
  const onePage = useBooleanFlagValue('new-checkout', false);
  const label = useStringFlagValue('checkout-copy', 'Buy now');
  return onePage ? <button className="one-page">{label}</button> : <a href="/cart">Go to cart</a>;
}

export function App() {
  return (
    <OpenFeatureProvider>
      <Checkout />
    </OpenFeatureProvider>
  );
}
