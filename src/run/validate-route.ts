import type { GateName } from '../gates/route-steps.js';
import type { BlockReason } from '../gates/reasons.js';
import { checkRouteOptions, type RouteOptions } from './route-options.js';
import { createRouteActor } from './run-route.js';

export type ValidateRouteOptions = Omit<RouteOptions, 'mode' | 'outDir' | 'timeoutMs' | 'keepWorkspace'>;

// The one answer to "may this run start?", printed as is by `case-route validate --json`.
export interface RouteValidation {
  readonly status: 'ready' | 'blocked' | 'aborted';
  // The gate that blocked (`stepFailed` when a step threw instead of answering), its reason code and detail.
  readonly blocked: { readonly gate: GateName | 'stepFailed'; readonly reason: BlockReason; readonly detail: string } | null;
  readonly states_visited: readonly string[];
}

// Every pre-start gate, as `case-route validate` runs them: Case is never started and no report
// is written. Meant as a CI pre-check before a real run.
export async function validateRoute(options: ValidateRouteOptions = {}): Promise<RouteValidation> {
  const states: string[] = [];
  const onState = options.onState;
  const run = await createRouteActor(
    checkRouteOptions({
      ...options,
      mode: 'validate',
      onState: (visit) => {
        states.push(visit.state);
        onState?.(visit);
      },
    }),
  );
  run.actor.start();
  const result = await run.done;
  const blocked = result.context.blocked ?? null;
  const status = blocked ? 'blocked' : result.finalState === 'validated' ? 'ready' : 'aborted';
  return { status, blocked, states_visited: states };
}
