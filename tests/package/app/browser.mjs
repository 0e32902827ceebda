// A page bundled by esbuild for the browser (the `browser` condition): the entry fetches
// `../wasm/darklaunch_bg.wasm` relative to the bundle, where the app copied the file.
import * as darklaunch from 'darklaunch';
import { evaluate } from './evaluate.mjs';

const { snapshot, keys } = await (await fetch('/input.json')).json();
window.result = { entry: 'browser.js', ...evaluate(darklaunch, snapshot, keys) };
