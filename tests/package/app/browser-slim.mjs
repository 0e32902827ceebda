// A page bundled by esbuild with `darklaunch/slim`: esbuild's `file` loader emits the `.wasm`
// and gives its URL, which the app passes to init().
import * as darklaunch from 'darklaunch/slim';
import wasmUrl from 'darklaunch/darklaunch_bg.wasm';
import { evaluate } from './evaluate.mjs';

await darklaunch.init(wasmUrl);
const { snapshot, keys } = await (await fetch('/input.json')).json();
window.result = { entry: 'slim.js', ...evaluate(darklaunch, snapshot, keys) };
