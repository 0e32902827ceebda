// Types of darklaunch/openfeature/server (hand-written; the code is src/openfeature/server.js).
import type {
  EvaluationContext, JsonValue, OpenFeatureEventEmitter, Provider, ProviderMetadata, ResolutionDetails,
} from '@openfeature/server-sdk';
import type { SnapshotSource } from './source.js';

export { FetchError, SnapshotSource } from './source.js';
export type { FlagsClass, SnapshotBytes, SourceNote, SourceOptions } from './source.js';

/**
 * OpenFeature provider for @openfeature/server-sdk (dynamic context). `flagMetadata` carries
 * `snapshotVersion` (decimal string), `keyId`, and `rule` / `stage` indices when they decided.
 */
export class DarklaunchProvider implements Provider {
  constructor(source: SnapshotSource);
  readonly metadata: ProviderMetadata;
  readonly runsOn: 'server';
  readonly events: OpenFeatureEventEmitter;
  readonly source: SnapshotSource;
  initialize(context?: EvaluationContext): Promise<void>;
  onClose(): Promise<void>;
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>>;
  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>>;
  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>>;
  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>>;
}
