import { assign, fromPromise, not, sendTo, setup } from 'xstate';
import { ROUTE_STEPS, stepAt, type GateName, type StepOutputs, type StepState } from '../src/gates/route-steps.js';
import type { BlockReason } from '../src/gates/reasons.js';
import type { LaneSetupFacts } from '../src/gates/lane-setup-gates.js';
import type { Admission } from '../src/inputs/admission.js';
import type { Decision } from '../src/inputs/decision.js';
import type { EnvConfig } from '../src/inputs/env-config.js';
import type { LaneName, LanesOutcome } from '../src/lanes/lane-types.js';
import type { PreflightObservation } from '../src/local-server/preflight.js';
import type { EmittedReport } from '../src/report/report-types.js';
import { supervisorMachine } from './supervisor.machine.js';

export type RouteConfig = Omit<EnvConfig, 'apiKey'>;

export interface RouteInput {
  readonly lane: LaneName;
  readonly fixture: string;
  // `validate` runs every pre-start gate and stops before Case would start.
  readonly mode: 'run' | 'validate';
}

export interface RouteContext extends RouteInput {
  decision?: Decision;
  decisionSha256?: string;
  config?: RouteConfig;
  admission?: Admission;
  admissionSha256?: string;
  preflight?: PreflightObservation;
  setup?: LaneSetupFacts;
  lanes?: LanesOutcome;
  // ABORT came while the lanes ran: the supervisor stops them, and the run ends aborted.
  abortRequested?: boolean;
  blocked?: { gate: GateName | 'stepFailed'; reason: BlockReason; detail: string };
  report?: EmittedReport;
}

// Actor stubs: the route is a definition; src/ provides the implementations that do I/O.
function provided<TOutput, TInput>() {
  return fromPromise<TOutput, TInput>(async () => {
    throw new Error('actor implementation not provided');
  });
}

type GuardArgs = { context: RouteContext; event: { type: string } };

// A guard per gate, named after it, so the diagram and the inspector show which rule decided.
const gateGuards = Object.fromEntries(
  ROUTE_STEPS.flatMap((step) => step.gates.map((gate) => [gate, ({ context, event }: GuardArgs) => step.check(gate, context, event).ok])),
) as Record<GateName, (args: GuardArgs) => boolean>;

// A step's transitions to blocked, one per gate in order: the first gate that fails blocks.
function blockedBy(state: StepState) {
  return stepAt(state).gates.map((gate) => ({
    guard: not(gate),
    target: '#route.blocked',
    actions: { type: 'recordBlock' as const, params: { state, gate } },
  }));
}

// Every gate of the step passed: its output goes into the context.
function passed(state: StepState) {
  return { type: 'recordStep' as const, params: { state } };
}

function gated(state: StepState) {
  return [...blockedBy(state), { target: stepAt(state).next, actions: passed(state) }];
}

const stepFailed = {
  target: '#route.blocked',
  actions: { type: 'recordStepFailure' as const },
};

export const routeMachine = setup({
  types: {
    context: {} as RouteContext,
    input: {} as RouteInput,
    output: {} as RouteContext,
    events: {} as { type: 'ABORT' },
  },
  actors: {
    loadDecision: provided<StepOutputs['loadDecision'], void>(),
    readConfig: provided<StepOutputs['readConfig'], void>(),
    loadAdmission: provided<StepOutputs['loadAdmission'], { file: string }>(),
    preflightProvider: provided<StepOutputs['preflightProvider'], { baseUrl: string; model: string }>(),
    prepareLanes: provided<StepOutputs['prepareLanes'], { lane: LaneName; fixture: string; admission: Admission; contextWindow: number | null }>(),
    superviseLanes: supervisorMachine,
    emitReport: provided<EmittedReport, { context: RouteContext }>(),
  },
  guards: {
    ...gateGuards,
    onlyValidating: ({ context }: { context: RouteContext }) => context.mode === 'validate',
    abortWasRequested: ({ context }: { context: RouteContext }) => context.abortRequested === true,
  },
  actions: {
    recordStep: assign(({ event }, params: { state: StepState }) => stepAt(params.state).passed(event)),
    recordBlock: assign(({ context, event }, params: { state: StepState; gate: GateName }) => {
      const step = stepAt(params.state);
      const result = step.check(params.gate, context, event);
      return {
        ...step.kept(event),
        blocked: result.ok
          ? { gate: params.gate, reason: 'route_error' as const, detail: 'a guard failed but its gate passed' }
          : { gate: params.gate, reason: result.reason, detail: result.detail },
      };
    }),
    recordStepFailure: assign({
      blocked: ({ event }) => ({
        gate: 'stepFailed' as const,
        reason: 'route_error' as const,
        detail: String((event as { error?: { message?: string } }).error?.message ?? 'unknown error'),
      }),
    }),
  },
}).createMachine({
  id: 'route',
  context: ({ input }) => ({ lane: input.lane, fixture: input.fixture, mode: input.mode }),
  initial: 'loading_decision',
  on: { ABORT: '.aborted' },
  states: {
    loading_decision: {
      invoke: { id: 'loadDecision', src: 'loadDecision', onDone: gated('loading_decision'), onError: stepFailed },
    },
    decision_loaded: {
      invoke: { id: 'readConfig', src: 'readConfig', onDone: gated('decision_loaded'), onError: stepFailed },
    },
    config_checked: {
      invoke: {
        id: 'loadAdmission',
        src: 'loadAdmission',
        input: ({ context }) => ({ file: context.config!.admissionFile! }),
        onDone: gated('config_checked'),
        onError: stepFailed,
      },
    },
    admission_matched: {
      invoke: {
        id: 'preflightProvider',
        src: 'preflightProvider',
        input: ({ context }) => ({ baseUrl: context.config!.baseUrl!, model: context.admission!.model }),
        onDone: gated('admission_matched'),
        onError: stepFailed,
      },
    },
    provider_verified: {
      invoke: {
        id: 'prepareLanes',
        src: 'prepareLanes',
        input: ({ context }) => ({ lane: context.lane, fixture: context.fixture, admission: context.admission!, contextWindow: context.preflight?.context_window.tokens ?? null }),
        onDone: [
          ...blockedBy('provider_verified'),
          // `validate` stops at the door: every gate has passed and Case is not started.
          { guard: 'onlyValidating', target: '#route.validated', actions: passed('provider_verified') },
          { target: 'case_process_started', actions: passed('provider_verified') },
        ],
        onError: stepFailed,
      },
    },
    case_process_started: {
      // Once lanes run, an abort is the supervisor's to carry out: the run ends when every lane has.
      on: { ABORT: { actions: [assign({ abortRequested: true }), sendTo('superviseLanes', { type: 'ABORT' })] } },
      invoke: {
        id: 'superviseLanes',
        src: 'superviseLanes',
        input: ({ context }) => ({ lanes: context.setup!.lanes }),
        onDone: [
          { guard: 'abortWasRequested', target: 'aborted', actions: assign({ lanes: ({ event }) => event.output }) },
          { target: 'stage2_complete', actions: assign({ lanes: ({ event }) => event.output }) },
        ],
        onError: {
          target: 'stage2_complete',
          actions: assign({
            lanes: ({ event }) => ({ lanes: [], error: String((event.error as Error | undefined)?.message ?? event.error) }),
          }),
        },
      },
    },
    stage2_complete: {
      invoke: {
        id: 'emitReport',
        src: 'emitReport',
        input: ({ context }) => ({ context }),
        onDone: { target: 'report_emitted', actions: assign({ report: ({ event }) => event.output }) },
        onError: 'report_failed',
      },
    },
    validated: { type: 'final' },
    report_emitted: { type: 'final' },
    report_failed: { type: 'final' },
    blocked: { type: 'final' },
    aborted: { type: 'final' },
  },
  output: ({ context }) => context,
});

export type RouteMachine = typeof routeMachine;
