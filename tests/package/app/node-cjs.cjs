// Node, CommonJS: `require` resolves the `node` + `require` condition.
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');
const darklaunch = require('darklaunch');

const { snapshot, keys } = JSON.parse(readFileSync('input.json', 'utf8'));
const entry = basename(require.resolve('darklaunch'));
import('./evaluate.mjs').then(({ evaluate }) => {
  console.log(JSON.stringify({ entry, ...evaluate(darklaunch, snapshot, keys) }));
});
