// Deno: serves the gated handler on 127.0.0.1 (port chosen by the OS) and prints the port.
//   deno run --import-map MAP --allow-read --allow-net=127.0.0.1 --allow-env deno-server.js
import { gatedHandler } from './gated.js';

const snapshot = await Deno.readTextFile(Deno.env.get('SNAPSHOT_FILE'));
const handler = gatedHandler(snapshot, JSON.parse(Deno.env.get('DARKLAUNCH_KEYS')), Deno.env.get('DARKLAUNCH_ENVIRONMENT'));
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(JSON.stringify({ port })) }, handler);
