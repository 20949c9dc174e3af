import type { PreflightObservation } from '../provider/preflight.js';
import { block, PASS, type GateResult } from './gate-result.js';

export function providerIsReachable(observation: PreflightObservation): GateResult {
  return observation.reachable
    ? PASS
    : block('provider_unreachable', `the local provider did not answer: ${observation.error ?? 'no /v1/models list'}`);
}

// Exact, case-sensitive: a server that lists "Qwen3.6-35B-A3B" does not serve "qwen3.6-35b-a3b".
export function modelIsServed(observation: PreflightObservation, model: string): GateResult {
  if (!observation.models_listed.includes(model)) {
    const listed = observation.models_listed.length > 0 ? observation.models_listed.join(', ') : 'nothing';
    return block('model_not_served', `/v1/models lists ${listed}, not "${model}"`);
  }
  if (observation.server_check && !observation.server_check.ok) {
    return block('model_not_served', `${observation.server_kind} reports: ${observation.server_check.detail}`);
  }
  return PASS;
}
