// Deno, resolving `darklaunch` from node_modules: the `deno` condition.
import * as darklaunch from 'darklaunch';
import { evaluate } from './evaluate.mjs';

const { snapshot, keys } = JSON.parse(await Deno.readTextFile('input.json'));
const entry = import.meta.resolve('darklaunch').split('/').pop();
console.log(JSON.stringify({ entry, ...evaluate(darklaunch, snapshot, keys) }));
