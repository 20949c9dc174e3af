import type { Decision } from '../inputs/decision.js';
import type { JsonInput } from '../inputs/json-input.js';
import { block, PASS, type GateResult } from './gate-result.js';

export const REQUIRED_DECISION_STATUS = 'local_provider_required';
export const REQUIRED_PROVIDER_CLASS = 'local_case_compatible';

// A decision file that was never named is a missing variable, like any other (config_missing).
export function decisionRecordIsValid(loaded: JsonInput<Decision>): GateResult {
  if (loaded.ok) return PASS;
  return block(loaded.unset ? 'config_missing' : 'decision_invalid', loaded.detail);
}

export function decisionRequiresLocalProvider(decision: Decision): GateResult {
  return decision.decision_status === REQUIRED_DECISION_STATUS
    ? PASS
    : block(
        'decision_status_not_local_provider_required',
        `decision_status is "${decision.decision_status}", the route runs only for "${REQUIRED_DECISION_STATUS}"`,
      );
}

export function decisionSelectsLocalCaseCompatibleClass(decision: Decision): GateResult {
  return decision.provider_class === REQUIRED_PROVIDER_CLASS
    ? PASS
    : block(
        'provider_class_mismatch',
        `provider_class is "${decision.provider_class}", expected "${REQUIRED_PROVIDER_CLASS}"`,
      );
}
