import { assign, fromPromise, not, sendTo, setup } from 'xstate';
import {
  admissionIsAdmitted,
  admissionMatchesDecision,
  admissionMatchesEnv,
  noExternalFallbackConfigured,
} from '../src/gates/admission-gates.js';
import { configIsComplete, localAdapterIsConfigured, localAdapterIsLoopback } from '../src/gates/config-gates.js';
import { decisionRecordIsValid, decisionRequiresLocalProvider, decisionSelectsLocalCaseCompatibleClass } from '../src/gates/decision-gates.js';
import { block, PASS, type GateResult } from '../src/gates/gate-result.js';
import {
  adapterPinsAdmittedModel,
  admissionUnchangedSinceCheck,
  caseCommandIsExecutable,
  fixtureIsArtificialCopy,
  laneIsolationAvailable,
  type LaneSetupFacts,
} from '../src/gates/lane-setup-gates.js';
import { contextWindowFitsCase, modelIsServed, providerIsReachable } from '../src/gates/preflight-gates.js';
import type { BlockReason } from '../src/gates/reasons.js';
import type { Admission } from '../src/inputs/admission.js';
import type { Decision } from '../src/inputs/decision.js';
import type { EnvConfig } from '../src/inputs/env-config.js';
import type { JsonInput } from '../src/inputs/json-input.js';
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

type Loaded<T> = JsonInput<T>;

// Actor stubs: the route is a definition; src/ provides the implementations that do I/O.
function provided<TOutput, TInput>() {
  return fromPromise<TOutput, TInput>(async () => {
    throw new Error('actor implementation not provided');
  });
}

type StepOutput =
  | Loaded<Decision>
  | RouteConfig
  | Loaded<Admission>
  | PreflightObservation
  | LaneSetupFacts;

// Each gate of ROUTE.md reads the context built so far and the output of the step that just ran.
const gates = {
  decisionRecordIsValid: (_: RouteContext, out: StepOutput) => decisionRecordIsValid(out as Loaded<Decision>),
  decisionRequiresLocalProvider: (_: RouteContext, out: StepOutput) =>
    decisionRequiresLocalProvider(loadedValue(out as Loaded<Decision>)),
  decisionSelectsLocalCaseCompatibleClass: (_: RouteContext, out: StepOutput) =>
    decisionSelectsLocalCaseCompatibleClass(loadedValue(out as Loaded<Decision>)),
  configIsComplete: (ctx: RouteContext, out: StepOutput) => configIsComplete(out as RouteConfig, ctx.lane),
  localAdapterIsConfigured: (_: RouteContext, out: StepOutput) => localAdapterIsConfigured(out as RouteConfig),
  localAdapterIsLoopback: (_: RouteContext, out: StepOutput) => localAdapterIsLoopback(out as RouteConfig),
  admissionRecordIsValid: (_: RouteContext, out: StepOutput): GateResult => {
    const loaded = out as Loaded<Admission>;
    return loaded.ok ? PASS : block('admission_invalid', loaded.detail);
  },
  admissionMatchesEnv: (ctx: RouteContext, out: StepOutput) =>
    admissionMatchesEnv(loadedValue(out as Loaded<Admission>), ctx.config!),
  admissionMatchesDecision: (ctx: RouteContext, out: StepOutput) =>
    admissionMatchesDecision(loadedValue(out as Loaded<Admission>), ctx.decision!),
  admissionIsAdmitted: (_: RouteContext, out: StepOutput) => admissionIsAdmitted(loadedValue(out as Loaded<Admission>)),
  noExternalFallbackConfigured: (ctx: RouteContext, out: StepOutput) =>
    noExternalFallbackConfigured(loadedValue(out as Loaded<Admission>), ctx.decision!, ctx.config!),
  providerIsReachable: (_: RouteContext, out: StepOutput) => providerIsReachable(out as PreflightObservation),
  modelIsServed: (ctx: RouteContext, out: StepOutput) => modelIsServed(out as PreflightObservation, ctx.admission!.model),
  contextWindowFitsCase: (_: RouteContext, out: StepOutput) => contextWindowFitsCase(out as PreflightObservation),
  fixtureIsArtificialCopy: (_: RouteContext, out: StepOutput) => fixtureIsArtificialCopy(out as LaneSetupFacts),
  caseCommandIsExecutable: (_: RouteContext, out: StepOutput) => caseCommandIsExecutable(out as LaneSetupFacts),
  laneIsolationAvailable: (_: RouteContext, out: StepOutput) => laneIsolationAvailable(out as LaneSetupFacts),
  adapterPinsAdmittedModel: (_: RouteContext, out: StepOutput) => adapterPinsAdmittedModel(out as LaneSetupFacts),
  admissionUnchangedSinceCheck: (ctx: RouteContext, out: StepOutput) =>
    admissionUnchangedSinceCheck(out as LaneSetupFacts, ctx.admissionSha256),
} as const;

export type GateName = keyof typeof gates;
export const GATE_NAMES = Object.keys(gates) as GateName[];

function loadedValue<T>(loaded: Loaded<T>): T {
  if (!loaded.ok) throw new Error('gate order: a record is used before its validity gate');
  return loaded.value;
}

function outputOf(event: { type: string }): StepOutput {
  return (event as unknown as { output: StepOutput }).output;
}

// A record that was read and parsed stays in the context even when a gate refuses it: a blocked
// report then says what the refused record said, and its digest.
function recordsRead(event: { type: string }): Partial<RouteContext> {
  const output = outputOf(event) as Loaded<Decision> | Loaded<Admission>;
  if (!output || !('ok' in output) || !output.ok) return {};
  if (event.type === 'xstate.done.actor.loadDecision') return { decision: output.value as Decision, decisionSha256: output.sha256 };
  if (event.type === 'xstate.done.actor.loadAdmission') return { admission: output.value as Admission, admissionSha256: output.sha256 };
  return {};
}

type GuardArgs = { context: RouteContext; event: { type: string } };

const guards = Object.fromEntries(
  GATE_NAMES.map((name) => [name, ({ context, event }: GuardArgs) => gates[name](context, outputOf(event)).ok]),
) as Record<GateName, (args: GuardArgs) => boolean>;

// The pre-start steps in route order, each with its gates in the order of ROUTE.md's table and the
// state it leads to when every gate passes. The first gate that fails blocks.
export const ROUTE_STEPS = [
  { state: 'loading_decision', next: 'decision_loaded', gates: ['decisionRecordIsValid', 'decisionRequiresLocalProvider', 'decisionSelectsLocalCaseCompatibleClass'] },
  { state: 'decision_loaded', next: 'config_checked', gates: ['configIsComplete', 'localAdapterIsConfigured', 'localAdapterIsLoopback'] },
  {
    state: 'config_checked',
    next: 'admission_matched',
    gates: ['admissionRecordIsValid', 'admissionMatchesEnv', 'admissionMatchesDecision', 'admissionIsAdmitted', 'noExternalFallbackConfigured'],
  },
  { state: 'admission_matched', next: 'provider_verified', gates: ['providerIsReachable', 'modelIsServed', 'contextWindowFitsCase'] },
  {
    state: 'provider_verified',
    next: 'case_process_started',
    gates: ['fixtureIsArtificialCopy', 'caseCommandIsExecutable', 'laneIsolationAvailable', 'adapterPinsAdmittedModel', 'admissionUnchangedSinceCheck'],
  },
] as const satisfies ReadonlyArray<{ state: string; next: string; gates: readonly GateName[] }>;

type StepState = (typeof ROUTE_STEPS)[number]['state'];

function gateStep<const TAction>(state: StepState, actions: TAction) {
  const step = ROUTE_STEPS.find((candidate) => candidate.state === state)!;
  return [
    ...step.gates.map((gate) => ({
      guard: not(gate),
      target: '#route.blocked',
      actions: { type: 'recordBlock' as const, params: { gate } },
    })),
    // `validate` stops at the door: every gate has passed and Case is not started.
    ...(step.next === 'case_process_started'
      ? [{ guard: 'onlyValidating' as const, target: '#route.validated', actions }]
      : []),
    { target: step.next, actions },
  ];
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
    loadDecision: provided<Loaded<Decision>, void>(),
    readConfig: provided<RouteConfig, void>(),
    loadAdmission: provided<Loaded<Admission>, { file: string }>(),
    preflightProvider: provided<PreflightObservation, { baseUrl: string; model: string }>(),
    prepareLanes: provided<LaneSetupFacts, { lane: LaneName; fixture: string; admission: Admission; contextWindow: number | null }>(),
    superviseLanes: supervisorMachine,
    emitReport: provided<EmittedReport, { context: RouteContext }>(),
  },
  guards: {
    ...guards,
    onlyValidating: ({ context }: { context: RouteContext }) => context.mode === 'validate',
    abortWasRequested: ({ context }: { context: RouteContext }) => context.abortRequested === true,
  },
  actions: {
    recordBlock: assign(({ context, event }, params: { gate: GateName }) => {
      const result = gates[params.gate](context, outputOf(event));
      return {
        ...recordsRead(event),
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
      invoke: {
        id: 'loadDecision',
        src: 'loadDecision',
        onDone: gateStep(
          'loading_decision',
          assign(({ event }) => {
            const loaded = event.output as Extract<Loaded<Decision>, { ok: true }>;
            return { decision: loaded.value, decisionSha256: loaded.sha256 };
          }),
        ),
        onError: stepFailed,
      },
    },
    decision_loaded: {
      invoke: {
        id: 'readConfig',
        src: 'readConfig',
        onDone: gateStep(
          'decision_loaded',
          assign({ config: ({ event }) => event.output }),
        ),
        onError: stepFailed,
      },
    },
    config_checked: {
      invoke: {
        id: 'loadAdmission',
        src: 'loadAdmission',
        input: ({ context }) => ({ file: context.config!.admissionFile! }),
        onDone: gateStep(
          'config_checked',
          assign(({ event }) => {
            const loaded = event.output as Extract<Loaded<Admission>, { ok: true }>;
            return { admission: loaded.value, admissionSha256: loaded.sha256 };
          }),
        ),
        onError: stepFailed,
      },
    },
    admission_matched: {
      invoke: {
        id: 'preflightProvider',
        src: 'preflightProvider',
        input: ({ context }) => ({ baseUrl: context.config!.baseUrl!, model: context.admission!.model }),
        onDone: gateStep(
          'admission_matched',
          assign({ preflight: ({ event }) => event.output }),
        ),
        onError: stepFailed,
      },
    },
    provider_verified: {
      invoke: {
        id: 'prepareLanes',
        src: 'prepareLanes',
        input: ({ context }) => ({ lane: context.lane, fixture: context.fixture, admission: context.admission!, contextWindow: context.preflight?.context_window.tokens ?? null }),
        onDone: gateStep(
          'provider_verified',
          assign({ setup: ({ event }) => event.output }),
        ),
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
