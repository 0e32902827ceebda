// The hand-written types of darklaunch/openfeature/{server,web} compile against the real
// OpenFeature SDK types, resolved through the package's `exports` as an app resolves them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { project, root } from './project.mjs';

test('types.ts compiles with tsc --strict', { timeout: 120_000 }, (t) => {
  const app = project();
  t.after(app.dispose);
  copyFileSync(join(root, 'tests/openfeature/types.ts'), join(app.dir, 'types.ts'));
  writeFileSync(join(app.dir, 'package.json'), JSON.stringify({ type: 'module' }));
  // The server SDK's types import EventEmitter from node:events, which a Node app types with
  // @types/node; this stand-in declares the part the SDK relies on (core's PlatformEventEmitter).
  writeFileSync(join(app.dir, 'node-events.d.ts'), `declare module 'node:events' {
  type Listener = (...args: any[]) => void;
  export class EventEmitter<T = unknown> {
    addListener(event: string | symbol, listener: Listener): this;
    on(event: string | symbol, listener: Listener): this;
    once(event: string | symbol, listener: Listener): this;
    removeListener(event: string | symbol, listener: Listener): this;
    off(event: string | symbol, listener: Listener): this;
    removeAllListeners(event?: string | symbol): this;
    listeners(event: string | symbol): Function[];
    emit(event: string | symbol, ...args: any[]): boolean;
    listenerCount(event: string | symbol, listener?: Function): number;
    eventNames(): Array<string | symbol>;
  }
}
`);
  writeFileSync(join(app.dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], types: [], skipLibCheck: false },
    files: ['types.ts', 'node-events.d.ts'],
  }));
  let output = '';
  try {
    output = execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', app.dir], { cwd: app.dir, encoding: 'utf8' });
  } catch (error) {
    output = `${error.stdout}${error.stderr}`;
  }
  assert.equal(output.trim(), '');
});
