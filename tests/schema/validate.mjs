// Checks schema/darklaunch-v1.schema.json against the documents that must pass or fail it.
//
//   node tests/schema/validate.mjs [--verbose]
//
// - the schema compiles under Ajv2020 strict mode (with ajv-formats);
// - every examples/rulesets/*.json is valid;
// - every ```json block of docs/ruleset.md that is a whole document (top-level "schema") is
//   valid, and one introduced by a link to examples/rulesets/NAME.json deep-equals that file
//   (the worked example must be one of them, so the doc and the file cannot drift); fragment
//   blocks (a `"key": {flag}`, the `"segments": {...}`, a `{"rollout": ...}` serve) are checked
//   against their definitions;
// - the `ruleset` of every tests/conformance/*.json that has one is valid (unless the file
//   expects the ruleset to be rejected: a top-level key containing "error");
// - every tests/schema/invalid/*.json is invalid (each has one defect, named by its file name).
//
// Exits 1 on any failure; the last line is "schema: N passed, N failed".

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = new URL('../..', import.meta.url);
const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');

let passed = 0;
let failed = 0;

function pass(what, detail) {
  passed += 1;
  if (verbose) console.log(`ok   ${what}${detail ? ` (${detail})` : ''}`);
}

function fail(what, why) {
  failed += 1;
  console.log(`FAIL ${what}: ${why}`);
}

const rel = (url) => fileURLToPath(url).slice(fileURLToPath(root).length);

function readJson(url) {
  return JSON.parse(readFileSync(url, 'utf8'));
}

/** The *.json files of a directory under the repository root, sorted; [] if it does not exist. */
function jsonFiles(dir) {
  const url = new URL(dir, root);
  if (!existsSync(url)) return [];
  return readdirSync(url)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => new URL(name, url));
}

// ---- the schema -------------------------------------------------------------------------------

const schemaUrl = new URL('schema/darklaunch-v1.schema.json', root);
let validate;
let validateSubschema;
try {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const schema = readJson(schemaUrl);
  validate = ajv.compile(schema);
  validateSubschema = (name) => ajv.getSchema(`${schema.$id}#/$defs/${name}`);
  pass(rel(schemaUrl), 'compiles in strict mode');
} catch (err) {
  fail(rel(schemaUrl), `does not compile: ${err.message}`);
  console.log(`schema: ${passed} passed, ${failed} failed`);
  process.exit(1);
}

function errorsText(errors) {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
}

function expectValid(what, doc, check = validate) {
  if (check(doc)) pass(what);
  else fail(what, `should be valid: ${errorsText(check.errors)}`);
}

function expectInvalid(what, doc) {
  if (validate(doc)) fail(what, 'should be invalid, but the schema accepts it');
  else pass(what, `rejected: ${errorsText(validate.errors.slice(0, 1))}`);
}

// ---- examples/rulesets --------------------------------------------------------------------------

const examples = jsonFiles('examples/rulesets/');
if (examples.length === 0) fail('examples/rulesets/', 'no *.json files found');
for (const url of examples) {
  try {
    expectValid(rel(url), readJson(url));
  } catch (err) {
    fail(rel(url), err.message);
  }
}

/**
 * A doc block that is a member of an object, `"name": {...}`: `"segments": {...}` is checked as
 * a document's segments, any other `"key": {...}` as a flag. Other text is not checked.
 */
function checkFragment(what, text) {
  let members;
  try {
    members = JSON.parse(`{${text}}`);
  } catch {
    return;
  }
  for (const [name, value] of Object.entries(members)) {
    if (name === 'segments') {
      expectValid(`${what} (segments)`, { schema: 'darklaunch/v1', segments: value, flags: {} });
    } else if (name !== 'flags' && name !== 'schema') {
      expectValid(`${what} (flag ${name})`, value, validateSubschema('flag'));
      // The key itself must be a valid flag key too.
      expectValid(`${what} (key ${name})`, name, validateSubschema('key'));
    }
  }
}

// ---- docs/ruleset.md --------------------------------------------------------------------------

{
  const docUrl = new URL('docs/ruleset.md', root);
  const doc = readFileSync(docUrl, 'utf8');
  const blockRe = /^```json[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm;
  let previousEnd = 0;
  let wholeDocuments = 0;
  const paired = new Set();
  for (const match of doc.matchAll(blockRe)) {
    const text = match[1];
    const line = doc.slice(0, match.index).split('\n').length;
    const what = `docs/ruleset.md:${line}`;
    const before = doc.slice(previousEnd, match.index);
    previousEnd = match.index + match[0].length;

    let value;
    try {
      value = JSON.parse(text);
    } catch (err) {
      // Skeletons ({ ... }) are not JSON. A block that starts like a document and has no "..."
      // placeholder is meant to be one: it must parse.
      if (/^\s*\{\s*"schema"\s*:/.test(text) && !text.includes('...')) {
        fail(what, `looks like a whole document but is not JSON: ${err.message}`);
        continue;
      }
      checkFragment(what, text);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    if (!('schema' in value)) {
      // A serve shown on its own: { "rollout": {...} }.
      if (Object.keys(value).length === 1 && 'rollout' in value) {
        expectValid(`${what} (serve)`, value, validateSubschema('serve'));
      }
      continue;
    }
    wholeDocuments += 1;
    expectValid(what, value);

    // The last link to an example file in the prose before this block names the file it shows.
    const links = [...before.matchAll(/examples\/rulesets\/([A-Za-z0-9._-]+\.json)/g)];
    if (links.length > 0) {
      const name = links[links.length - 1][1];
      const fileUrl = new URL(`examples/rulesets/${name}`, root);
      paired.add(name);
      if (!existsSync(fileUrl)) {
        fail(what, `names examples/rulesets/${name}, which does not exist`);
      } else if (isDeepStrictEqual(value, readJson(fileUrl))) {
        pass(`${what} == examples/rulesets/${name}`);
      } else {
        fail(what, `differs from examples/rulesets/${name} (the doc and the file have drifted)`);
      }
    }
  }
  if (wholeDocuments === 0) fail('docs/ruleset.md', 'no whole-document ```json block found');
  if (!paired.has('dark-launch.json')) {
    fail('docs/ruleset.md', 'the worked example is not shown next to a link to examples/rulesets/dark-launch.json');
  }
}

// ---- tests/conformance ------------------------------------------------------------------------

for (const url of jsonFiles('tests/conformance/')) {
  let file;
  try {
    file = readJson(url);
  } catch (err) {
    fail(rel(url), err.message);
    continue;
  }
  if (file === null || typeof file !== 'object' || !('ruleset' in file)) continue;
  const expectsRejection = Object.keys(file).some((k) => /error/i.test(k) && file[k]);
  if (expectsRejection) continue;
  let ruleset = file.ruleset;
  if (typeof ruleset === 'string') {
    // A ruleset given as text (e.g. to keep a duplicate key): check it when it is JSON.
    try {
      ruleset = JSON.parse(ruleset);
    } catch {
      continue;
    }
  }
  expectValid(`${rel(url)} ruleset`, ruleset);
}

// ---- tests/schema/invalid ---------------------------------------------------------------------

const invalid = jsonFiles('tests/schema/invalid/');
if (invalid.length === 0) fail('tests/schema/invalid/', 'no *.json files found');
for (const url of invalid) {
  try {
    expectInvalid(rel(url), readJson(url));
  } catch (err) {
    fail(rel(url), err.message);
  }
}

console.log(`schema: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
