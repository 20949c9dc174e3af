// The public API's run functions, and the way the CLI runs the route too: options are parsed here,
// once, and the internal builder (run-route.ts) only ever sees parsed options.
import type { InspectionEvent } from 'xstate';
import type { GateName } from '../gates/route-steps.js';
import type { BlockReason } from '../gates/reasons.js';
import type { Report } from '../report/report-schema.js';
import { parseRouteOptions, type RouteOptions } from './route-options.js';
import { buildRouteRun, type RouteResult, type RouteRun } from './run-route.js';

// The run ended without a report on disk (the report could not be written). The final state
// says where it stopped.
export class RouteReportError extends Error {
  override readonly name = 'RouteReportError';
  constructor(readonly finalState: string) {
    super(`the run ended in ${finalState} without a report`);
  }
}

export type RunRouteOptions = Omit<RouteOptions, 'mode'>;
export type ValidateRouteOptions = Omit<RouteOptions, 'mode' | 'outDir' | 'timeoutMs' | 'keepWorkspace'>;

// The one answer to "may this run start?", printed as is by `case-route validate --json`.
export interface RouteValidation {
  readonly status: 'ready' | 'blocked' | 'aborted';
  // The gate that blocked (`stepFailed` when a step threw instead of answering), its reason code and detail.
  readonly blocked: { readonly gate: GateName | 'stepFailed'; readonly reason: BlockReason; readonly detail: string } | null;
  readonly states_visited: readonly string[];
}

// The route actor with every step's I/O provided, not yet started: subscribe to it, or pass an
// inspection observer (for example @statelyai/inspect's `inspector.inspect.next`), then call
// `actor.start()` and await `done`.
export function createRouteActor(options: RouteOptions, inspect?: (event: InspectionEvent) => void): Promise<RouteRun> {
  return buildRouteRun(parseRouteOptions(options), inspect);
}

// Runs the whole route and resolves with the report it wrote, whatever its status: a blocked,
// failed or aborted run is a report, not an exception. Rejects only when the options are invalid
// (RouteOptionsError), the run directory cannot be made (RouteSetupError) or no report could be
// written (RouteReportError).
export async function runRoute(options: RunRouteOptions = {}): Promise<Report> {
  const result = await startAndFinish(await createRouteActor({ ...options, mode: 'run' }));
  if (!result.report) throw new RouteReportError(result.finalState);
  return result.report;
}

function validationStatus(result: RouteResult): RouteValidation['status'] {
  if (result.context.blocked) return 'blocked';
  if (result.finalState === 'validated') return 'ready';
  return 'aborted';
}

// Every pre-start gate, as `case-route validate` runs them: Case is never started and no report
// is written. Meant as a CI pre-check before a real run.
export async function validateRoute(options: ValidateRouteOptions = {}): Promise<RouteValidation> {
  const states: string[] = [];
  const onState = options.onState;
  const result = await startAndFinish(
    await createRouteActor({
      ...options,
      mode: 'validate',
      onState: (visit) => {
        states.push(visit.state);
        onState?.(visit);
      },
    }),
  );
  return { status: validationStatus(result), blocked: result.context.blocked ?? null, states_visited: states };
}

async function startAndFinish(run: RouteRun): Promise<RouteResult> {
  run.actor.start();
  return run.done;
}
