// A Cloudflare Worker, bundled as wrangler does (the `workerd` condition; the `.wasm` stays a
// separate CompiledWasm module). The snapshot and keys come from bindings.
import * as darklaunch from 'darklaunch';
import { evaluate } from './evaluate.mjs';

export default {
  fetch(request, env) {
    return Response.json({ entry: 'workerd.js', ...evaluate(darklaunch, env.SNAPSHOT, env.KEYS) });
  },
};
