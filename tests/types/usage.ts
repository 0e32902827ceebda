// Every exported type of index.d.ts and slim.d.ts, used as an application would (`make
// test-types`: tsc --noEmit, strict). Lines marked @ts-expect-error must stay errors.
import {
  type Accepted,
  type BuildInfo,
  buildInfo,
  Context,
  type ContextInput,
  type ErrorCode,
  type Evaluation,
  type EvaluationContext,
  type Explanation,
  Flags,
  type FlagType,
  type FlagValue,
  type LoadOptions,
  type Reason,
  SnapshotError,
} from 'darklaunch';
import * as slim from 'darklaunch/slim';

declare const bytes: Uint8Array;
declare const arrayBuffer: ArrayBuffer;
declare const saved: Accepted | undefined;

const options: LoadOptions = {
  keys: { 'ci-2026': 'base64-of-32-bytes' },
  threshold: 1,
  environment: 'prod',
  now: Date.now(),
  allowStale: false,
  ...(saved ? { last: saved } : { lastVersion: 41n }),
};
// @ts-expect-error the environment is required
const noEnvironment: LoadOptions = { keys: {} };

let flags: Flags;
try {
  flags = Flags.load(bytes, options);
  Flags.load('{"payload": "…"}', options);
  Flags.load(arrayBuffer, options);
  Flags.load(new DataView(bytes.buffer), options);
} catch (error) {
  if (error instanceof SnapshotError) {
    const fields: [string, string, string, string] = [error.name, error.code, error.path, error.detail];
    console.log(fields);
  }
  throw error;
}
// @ts-expect-error flags are only made by Flags.load
new Flags();

const replaced: boolean = flags.update(bytes, { now: Date.now() });
const version: bigint | undefined = flags.version;
const facts: [number | undefined, number | undefined, string | undefined, string | undefined, string | undefined] = [
  flags.expires, flags.issuedAt, flags.environment, flags.keyId, flags.digest,
];
const keyIds: readonly string[] | undefined = flags.keyIds;
const accepted: Accepted | undefined = flags.accepted;
const keys: string[] = flags.keys;

const attributes: EvaluationContext = { targetingKey: 'user-42', country: 'DE', beta: true, tags: ['a', 'b'] };
const ctx: Context = flags.context(attributes, { now: Date.now() });
const fromText: Context = flags.contextFromJson('{"targetingKey": "user-42"}');
const now: number = ctx.now;
const problem: number = ctx.problem;
const inputs: ContextInput[] = [ctx, attributes, { targetingKey: 42 }];

const on: boolean = flags.isEnabled('new-checkout', ctx);
flags.isEnabled('new-checkout');
// getValue widens to the fallback's type: a `false` fallback still gives `boolean`.
let enabled = flags.getValue('new-checkout', ctx, false);
enabled = true;
const copy: string = flags.getValue('checkout-copy', attributes, 'Buy now');
const limit: number = flags.getValue('limit', ctx, 10);
const config: { readonly retries: number } = flags.getValue('config', ctx, { retries: 3 });
const list: readonly string[] = flags.getValue('list', ctx, ['a']);
const anything: FlagValue | undefined = flags.getValue('any', ctx);
const orNull: FlagValue | null = flags.getValue('any', ctx, null);
// @ts-expect-error a string fallback gives a string, not a number
const wrong: number = flags.getValue('checkout-copy', ctx, 'Buy now');

const type: FlagType = 'string';
const evaluation: Evaluation = flags.evaluate('checkout-copy', ctx, type);
const value: FlagValue | null = evaluation.value;
const variant: string | null = evaluation.variant;
const reason: Reason = evaluation.reason;
const errorCode: ErrorCode | null = evaluation.errorCode;
const where: [number | null, number | null, bigint | undefined] = [evaluation.rule, evaluation.stage, evaluation.version];
if (reason === 'ERROR' && errorCode === 'FLAG_NOT_FOUND') console.log('no such flag');
// @ts-expect-error not a reason
const notAReason: Reason = 'MAYBE';

const all: Record<string, Evaluation> = flags.evaluateAll(ctx);
const explanation: Explanation = flags.explain('new-checkout', ctx);
const bucket = explanation.bucket;
if (bucket) {
  const position: string = bucket.position;
  const exposure: number = bucket.exposure;
  const inside: boolean = bucket.inside;
  console.log(position, exposure, inside);
}
const ruleId: string | null | undefined = explanation.ruleId;
const failed: string | null | undefined = explanation.failedPrerequisite;
const flag: string = explanation.flag;

ctx.free();
fromText.free();
flags.free();

const built: BuildInfo = buildInfo;
const build: [string, string, string, string | null] = [built.version, built.wasmBindgen, built.rustc, built.commit];
// @ts-expect-error build info is read-only
buildInfo.version = '0';

// darklaunch/slim: the same API, with the wasm supplied by the app.
declare const wasmModule: WebAssembly.Module;
await slim.init();
await slim.init(new URL('https://cdn.example/darklaunch_bg.wasm'));
await slim.init('/assets/darklaunch_bg.wasm');
await slim.init(await fetch('/assets/darklaunch_bg.wasm'));
slim.initSync({ module: wasmModule });
const slimFlags: slim.Flags = slim.Flags.load(bytes, options);
const slimError: typeof SnapshotError = slim.SnapshotError;
const slimBuild: BuildInfo = slim.buildInfo;

console.log(noEnvironment, replaced, version, facts, keyIds, accepted, keys, now, problem, inputs, on, enabled, copy, limit,
  config, list, anything, orNull, wrong, value, variant, where, notAReason, all, ruleId, failed, flag, build,
  slimFlags, slimError, slimBuild);
