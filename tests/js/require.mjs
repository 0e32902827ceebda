// `node --test --import ./tests/js/require.mjs tests/js/*.test.mjs` runs every package test
// through the CommonJS build: an import of pkg/src/node.js loads pkg/src/node.cjs instead, by
// Node's CommonJS loader, the file `require('darklaunch')` loads. Run by `make test-js`, with
// DARKLAUNCH_ENTRY=require, which entry.test.mjs checks took effect.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
  export async function resolve(specifier, context, next) {
    const resolved = await next(specifier, context);
    if (!resolved.url.endsWith('/pkg/src/node.js')) return resolved;
    return { url: resolved.url.replace(/\\.js$/, '.cjs'), format: 'commonjs', shortCircuit: true };
  }
`));
