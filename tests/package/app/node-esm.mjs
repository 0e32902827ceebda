// Node, ES modules: `import` resolves the `node` + `import` condition.
import { readFileSync } from 'node:fs';
import * as darklaunch from 'darklaunch';
import { evaluate } from './evaluate.mjs';

const { snapshot, keys } = JSON.parse(readFileSync('input.json', 'utf8'));
const entry = import.meta.resolve('darklaunch').split('/').pop();
console.log(JSON.stringify({ entry, ...evaluate(darklaunch, snapshot, keys) }));
