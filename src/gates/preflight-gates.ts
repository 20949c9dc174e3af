import { listsModel, type PreflightObservation } from '../local-server/preflight.js';
import { MIN_CONTEXT_WINDOW } from '../lane-setup/context-window.js';
import { block, PASS, type GateResult } from './gate-result.js';

export function providerIsReachable(observation: PreflightObservation): GateResult {
  return observation.reachable ? PASS : block('provider_unreachable', `the local provider ${observation.error ?? 'did not list its models'}`);
}

function listing(observation: PreflightObservation): string {
  if (observation.models_listed.length === 0) return 'nothing';
  return observation.models_listed
    .map((id) => {
      const aliases = observation.model_aliases[id] ?? [];
      return aliases.length > 0 ? `${id} (aliases: ${aliases.join(', ')})` : id;
    })
    .join(', ');
}

// Exact, case-sensitive: a server that lists "Qwen3.6-35B-A3B" does not serve "qwen3.6-35b-a3b".
// A name under a card's `aliases` is served as much as its id.
export function modelIsServed(observation: PreflightObservation, model: string): GateResult {
  if (!listsModel(observation, model)) return block('model_not_served', `/v1/models lists ${listing(observation)}, not "${model}"`);
  if (observation.server_check && !observation.server_check.ok) {
    return block('model_not_served', `${observation.server_kind} reports: ${observation.server_check.detail}`);
  }
  return PASS;
}

// Only a window the server states can be too small; one it does not state is told to Case as the
// default and shows up, if too small, as provider_context_exceeded after the run.
export function contextWindowFitsCase(observation: PreflightObservation): GateResult {
  const { tokens, source } = observation.context_window;
  if (tokens === null || tokens >= MIN_CONTEXT_WINDOW) return PASS;
  return block(
    'context_window_too_small',
    `${observation.server_kind} gives the model a context window of ${tokens} tokens (${source}); Case needs at least ${MIN_CONTEXT_WINDOW}: its first prompt alone is about 7,400 tokens`,
  );
}
