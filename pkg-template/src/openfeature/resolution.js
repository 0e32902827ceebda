// A darklaunch evaluation as OpenFeature resolution details, and the errors a provider reports
// when it has no evaluation to give (no snapshot yet, an expired one it may not serve).
import { ErrorCode, StandardResolutionReasons } from '@openfeature/core';

// darklaunch reasons (docs/ruleset.md#evaluation) are OpenFeature's vocabulary; the map makes
// the correspondence explicit and fails loudly (UNKNOWN) if the core ever adds one.
const REASONS = {
  STATIC: StandardResolutionReasons.STATIC,
  TARGETING_MATCH: StandardResolutionReasons.TARGETING_MATCH,
  SPLIT: StandardResolutionReasons.SPLIT,
  DISABLED: StandardResolutionReasons.DISABLED,
  DEFAULT: StandardResolutionReasons.DEFAULT,
  STALE: StandardResolutionReasons.STALE,
  ERROR: StandardResolutionReasons.ERROR,
};

const ERRORS = {
  FLAG_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  TYPE_MISMATCH: ErrorCode.TYPE_MISMATCH,
  PARSE_ERROR: ErrorCode.PARSE_ERROR,
  TARGETING_KEY_MISSING: ErrorCode.TARGETING_KEY_MISSING,
  INVALID_CONTEXT: ErrorCode.INVALID_CONTEXT,
  GENERAL: ErrorCode.GENERAL,
};

// Load errors meaning the flag configuration could not be read (OpenFeature PARSE_ERROR: "an
// error was encountered parsing data, such as a flag configuration"). The other refusals
// (signatures, keys, environment, times, versions, fetching) are GENERAL.
const UNREADABLE = new Set([
  'ENVELOPE_TOO_LARGE', 'MALFORMED_ENVELOPE', 'TOO_LARGE', 'INVALID_JSON', 'INVALID_FORMAT',
  'UNSUPPORTED_SCHEMA', 'DUPLICATE_KEY', 'INVALID_KEY', 'UNKNOWN_VARIANT', 'UNKNOWN_SEGMENT',
  'UNKNOWN_FLAG', 'PREREQUISITE_CYCLE', 'VARIANT_TYPE_MISMATCH', 'INVALID_WEIGHTS', 'INVALID_PERCENT',
  'UNORDERED_STAGES', 'SHRINKING_EXPOSURE', 'INVALID_CONDITION', 'INVALID_TIME', 'LIMIT_EXCEEDED',
  'MISSING_METADATA',
]);

/** `flagMetadata` shared by every evaluation of one snapshot. */
export function snapshotMetadata(flags) {
  return { snapshotVersion: String(flags.version), keyId: flags.keyId };
}

/**
 * Resolution details of an evaluation (`Flags#evaluate` / `evaluateAll` shape) of flag `key`
 * asked as `type` (`type` is the flag's own value type, for messages).
 */
export function resolution(evaluation, { key, defaultValue, type, flagType, metadata }) {
  const flagMetadata = { ...metadata };
  if (evaluation.rule !== null) flagMetadata.rule = evaluation.rule;
  if (evaluation.stage !== null) flagMetadata.stage = evaluation.stage;
  if (evaluation.reason === 'ERROR') {
    const errorCode = ERRORS[evaluation.errorCode] ?? ErrorCode.GENERAL;
    return failure(defaultValue, errorCode, message(errorCode, key, type, flagType, metadata), flagMetadata);
  }
  return {
    value: evaluation.value,
    variant: evaluation.variant,
    reason: REASONS[evaluation.reason] ?? StandardResolutionReasons.UNKNOWN,
    flagMetadata,
  };
}

/** Before any snapshot was accepted: why (PARSE_ERROR when it could not be read). */
export function noSnapshot(defaultValue, error) {
  const errorCode = loadErrorCode(error);
  const why = error === undefined ? 'none loaded yet' : error.message;
  return failure(defaultValue, errorCode, `no snapshot: ${why}`, {});
}

/** Past `expires` when stale serving is not allowed: the caller's default applies. */
export function expired(defaultValue, flags) {
  return failure(defaultValue, ErrorCode.GENERAL, `${expiryMessage(flags)} (allowStale is off)`, snapshotMetadata(flags));
}

export function expiryMessage(flags) {
  return `snapshot ${flags.version} expired at ${new Date(flags.expires).toISOString()}`;
}

function loadErrorCode(error) {
  return UNREADABLE.has(error?.code) ? ErrorCode.PARSE_ERROR : ErrorCode.GENERAL;
}

function failure(defaultValue, errorCode, errorMessage, flagMetadata) {
  return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage, flagMetadata };
}

function message(errorCode, key, type, flagType, metadata) {
  switch (errorCode) {
    case ErrorCode.FLAG_NOT_FOUND:
      return `flag "${key}" is not in snapshot ${metadata?.snapshotVersion}`;
    case ErrorCode.TYPE_MISMATCH:
      return `flag "${key}" has ${flagType} values, not ${type}`;
    case ErrorCode.TARGETING_KEY_MISSING:
      return `flag "${key}" rolls out by targetingKey and the context has none`;
    case ErrorCode.INVALID_CONTEXT:
      return `the context cannot be used for flag "${key}": it is not a flat object within the limits, or the rollout's attribute is missing or not a string or integer`;
    default:
      return `flag "${key}" could not be evaluated`;
  }
}
