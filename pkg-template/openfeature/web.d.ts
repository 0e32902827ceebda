// Types of darklaunch/openfeature/web (hand-written; the code is src/openfeature/web.js).
import type {
  EvaluationContext, JsonValue, OpenFeatureEventEmitter, Provider, ProviderMetadata, ResolutionDetails,
} from '@openfeature/web-sdk';
import type { SnapshotSource } from './source.js';

export { FetchError, SnapshotSource } from './source.js';
export type { FlagsClass, SnapshotBytes, SourceNote, SourceOptions } from './source.js';

/**
 * OpenFeature provider for @openfeature/web-sdk (static context): every flag is evaluated at
 * `initialize` and on each context change, and served synchronously. `flagMetadata` as for
 * the server provider.
 */
export class DarklaunchWebProvider implements Provider {
  constructor(source: SnapshotSource);
  readonly metadata: ProviderMetadata;
  readonly runsOn: 'client';
  readonly events: OpenFeatureEventEmitter;
  readonly source: SnapshotSource;
  initialize(context?: EvaluationContext): Promise<void>;
  onContextChange(oldContext: EvaluationContext, newContext: EvaluationContext): void;
  onClose(): Promise<void>;
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean>;
  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string>;
  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number>;
  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T>;
}
