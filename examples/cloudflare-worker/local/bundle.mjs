// Bundles the worker the way wrangler does (esbuild, export conditions workerd/worker/browser,
// `.wasm` imports kept as separate CompiledWasm modules), resolving `darklaunch` to the
// package built in pkg/ (`make pkg`). The result is Miniflare's `modules` option.
import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const EXAMPLE_DIR = resolve(here, '..');
export const REPO_DIR = resolve(EXAMPLE_DIR, '../..');
const ROOT = '/bundle'; // module names are relative to this (no file is read from it)

// The worker's compatibility date, from wrangler.toml (one source of truth).
export const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m
  .exec(readFileSync(join(EXAMPLE_DIR, 'wrangler.toml'), 'utf8'))?.[1];

// `darklaunch` resolves like an installed dependency: node_modules/darklaunch -> pkg/.
function packageDir(pkgDir) {
  if (!existsSync(join(pkgDir, 'package.json'))) throw new Error(`${pkgDir} has no package: run make pkg`);
  const modules = join(REPO_DIR, 'target/cloudflare-worker/node_modules');
  const link = join(modules, 'darklaunch');
  mkdirSync(modules, { recursive: true });
  let current;
  try {
    current = readlinkSync(link);
  } catch {
    // no link yet
  }
  if (current !== pkgDir) {
    rmSync(link, { force: true });
    try {
      symlinkSync(pkgDir, link, 'dir');
    } catch (error) {
      if (error.code !== 'EEXIST') throw error; // another process made the same link
    }
  }
  return modules;
}

/** `{ modules, modulesRoot }` for Miniflare: the bundled worker plus its wasm modules. */
export async function bundleWorker({ pkgDir = join(REPO_DIR, 'pkg') } = {}) {
  const wasm = new Map(); // module name -> file
  const result = await build({
    entryPoints: [join(EXAMPLE_DIR, 'src/worker.js')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    nodePaths: [packageDir(resolve(pkgDir))],
    logLevel: 'silent',
    plugins: [{
      name: 'compiled-wasm',
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, (args) => {
          const file = resolve(args.resolveDir, args.path);
          wasm.set(basename(file), file);
          return { path: `./${basename(file)}`, external: true };
        });
      },
    }],
  });
  const modules = [{ type: 'ESModule', path: `${ROOT}/worker.js`, contents: result.outputFiles[0].contents }];
  for (const [name, file] of wasm) modules.push({ type: 'CompiledWasm', path: `${ROOT}/${name}`, contents: readFileSync(file) });
  return { modules, modulesRoot: ROOT };
}
