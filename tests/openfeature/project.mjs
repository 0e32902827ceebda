// A throwaway app directory in which `darklaunch` is the built pkg/ and the OpenFeature and
// React packages are the repository's: the examples run there exactly as a user's app would,
// resolving the package through its `exports` (node, workerd or browser conditions).
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const LINKED = ['@openfeature', 'react', 'react-dom', 'scheduler'];

/** Creates the app with `examples/openfeature/<file>` copied in; `dispose()` removes it. */
export function project(...files) {
  const dir = mkdtempSync(join(tmpdir(), 'darklaunch-openfeature-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(root, 'pkg'), join(dir, 'node_modules/darklaunch'), 'dir');
  for (const name of LINKED) symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  for (const file of files) cpSync(join(root, 'examples/openfeature', file), join(dir, file));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
