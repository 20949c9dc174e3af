import type { DoneActorEvent, EventObject } from 'xstate';
import type { RouteConfig, RouteContext } from '../../machines/route.machine.js';
import type { Admission } from '../inputs/admission.js';
import type { Decision } from '../inputs/decision.js';
import type { JsonInput } from '../inputs/json-input.js';
import type { PreflightObservation } from '../local-server/preflight.js';
import { admissionIsAdmitted, admissionMatchesDecision, admissionMatchesEnv, noExternalFallbackConfigured } from './admission-gates.js';
import { configIsComplete, localAdapterIsConfigured, localAdapterIsLoopback } from './config-gates.js';
import { decisionRecordIsValid, decisionRequiresLocalProvider, decisionSelectsLocalCaseCompatibleClass } from './decision-gates.js';
import { block, PASS, type GateResult } from './gate-result.js';
import {
  adapterPinsAdmittedModel,
  admissionUnchangedSinceCheck,
  caseCommandIsExecutable,
  fixtureIsArtificialCopy,
  laneIsolationAvailable,
  type LaneSetupFacts,
} from './lane-setup-gates.js';
import { contextWindowFitsCase, modelIsServed, providerIsReachable } from './preflight-gates.js';

type Loaded<T> = JsonInput<T>;

// What each pre-start step's actor answers; the route machine's actor slots are typed by it.
export interface StepOutputs {
  readonly loadDecision: Loaded<Decision>;
  readonly readConfig: RouteConfig;
  readonly loadAdmission: Loaded<Admission>;
  readonly preflightProvider: PreflightObservation;
  readonly prepareLanes: LaneSetupFacts;
}

export type StepActor = keyof StepOutputs;

// Each gate of ROUTE.md reads the context built so far and the output of the step that just ran.
type Gate<TActor extends StepActor> = (context: RouteContext, output: StepOutputs[TActor]) => GateResult;

function loadedValue<T>(loaded: Loaded<T>): T {
  if (!loaded.ok) throw new Error('gate order: a record is used before its validity gate');
  return loaded.value;
}

// Each step's gates in the order of ROUTE.md's table: the first that fails blocks.
const decisionGates = {
  decisionRecordIsValid: (_, out) => decisionRecordIsValid(out),
  decisionRequiresLocalProvider: (_, out) => decisionRequiresLocalProvider(loadedValue(out)),
  decisionSelectsLocalCaseCompatibleClass: (_, out) => decisionSelectsLocalCaseCompatibleClass(loadedValue(out)),
} satisfies Record<string, Gate<'loadDecision'>>;

const configGates = {
  configIsComplete: (ctx, out) => configIsComplete(out, ctx.lane),
  localAdapterIsConfigured: (_, out) => localAdapterIsConfigured(out),
  localAdapterIsLoopback: (_, out) => localAdapterIsLoopback(out),
} satisfies Record<string, Gate<'readConfig'>>;

const admissionGates = {
  admissionRecordIsValid: (_, out) => (out.ok ? PASS : block('admission_invalid', out.detail)),
  admissionMatchesEnv: (ctx, out) => admissionMatchesEnv(loadedValue(out), ctx.config!),
  admissionMatchesDecision: (ctx, out) => admissionMatchesDecision(loadedValue(out), ctx.decision!),
  admissionIsAdmitted: (_, out) => admissionIsAdmitted(loadedValue(out)),
  noExternalFallbackConfigured: (ctx, out) => noExternalFallbackConfigured(loadedValue(out), ctx.decision!, ctx.config!),
} satisfies Record<string, Gate<'loadAdmission'>>;

const preflightGates = {
  providerIsReachable: (_, out) => providerIsReachable(out),
  modelIsServed: (ctx, out) => modelIsServed(out, ctx.admission!.model),
  contextWindowFitsCase: (_, out) => contextWindowFitsCase(out),
} satisfies Record<string, Gate<'preflightProvider'>>;

const laneSetupGates = {
  fixtureIsArtificialCopy: (_, out) => fixtureIsArtificialCopy(out),
  caseCommandIsExecutable: (_, out) => caseCommandIsExecutable(out),
  laneIsolationAvailable: (_, out) => laneIsolationAvailable(out),
  adapterPinsAdmittedModel: (_, out) => adapterPinsAdmittedModel(out),
  admissionUnchangedSinceCheck: (ctx, out) => admissionUnchangedSinceCheck(out, ctx.admissionSha256),
} satisfies Record<string, Gate<'prepareLanes'>>;

// The output of the step `actor`, from the event that says it finished: anything else is a route
// wired to the wrong step, an error rather than a guess.
export function outputOf<TActor extends StepActor>(event: EventObject, actor: TActor): StepOutputs[TActor] {
  if (!isDoneOf(event, actor)) throw new Error(`route: a gate of ${actor} read ${event.type}`);
  return event.output;
}

function isDoneOf<TActor extends StepActor>(event: EventObject, actor: TActor): event is DoneActorEvent<StepOutputs[TActor]> {
  return event.type === `xstate.done.actor.${actor}` && 'output' in event;
}

interface StepDefinition<TActor extends StepActor, TGates extends Record<string, Gate<TActor>>> {
  readonly state: string;
  readonly actor: TActor;
  // The state it leads to when every gate passes.
  readonly next: string;
  readonly gates: TGates;
  // What the step's output adds to the context once its gates pass.
  readonly record: (output: StepOutputs[TActor]) => Partial<RouteContext>;
  // What a blocked step keeps of its output: a record that was read and parsed stays in the
  // context even when a gate refuses it, so a blocked report says what it said, and its digest.
  readonly keepWhenBlocked?: (output: StepOutputs[TActor]) => Partial<RouteContext>;
}

function routeStep<const TState extends string, const TNext extends string, TActor extends StepActor, TGates extends Record<string, Gate<TActor>>>(
  definition: StepDefinition<TActor, TGates> & { readonly state: TState; readonly next: TNext },
) {
  const { state, actor, next, gates, record, keepWhenBlocked } = definition;
  const isGate = (name: string): name is keyof TGates & string => Object.hasOwn(gates, name);
  return {
    state,
    actor,
    next,
    gates: Object.keys(gates).filter(isGate),
    check(gate: string, context: RouteContext, event: EventObject): GateResult {
      const run: Gate<TActor> | undefined = isGate(gate) ? gates[gate] : undefined;
      if (!run) throw new Error(`route: ${gate} is not a gate of ${state}`);
      return run(context, outputOf(event, actor));
    },
    passed: (event: EventObject) => record(outputOf(event, actor)),
    kept: (event: EventObject) => keepWhenBlocked?.(outputOf(event, actor)) ?? {},
  };
}

const decisionRecord = (loaded: Loaded<Decision>): Partial<RouteContext> =>
  loaded.ok ? { decision: loaded.value, decisionSha256: loaded.sha256 } : {};
const admissionRecord = (loaded: Loaded<Admission>): Partial<RouteContext> =>
  loaded.ok ? { admission: loaded.value, admissionSha256: loaded.sha256 } : {};

// The pre-start steps in route order.
export const ROUTE_STEPS = [
  routeStep({ state: 'loading_decision', actor: 'loadDecision', next: 'decision_loaded', gates: decisionGates, record: decisionRecord, keepWhenBlocked: decisionRecord }),
  routeStep({ state: 'decision_loaded', actor: 'readConfig', next: 'config_checked', gates: configGates, record: (config) => ({ config }) }),
  routeStep({ state: 'config_checked', actor: 'loadAdmission', next: 'admission_matched', gates: admissionGates, record: admissionRecord, keepWhenBlocked: admissionRecord }),
  routeStep({ state: 'admission_matched', actor: 'preflightProvider', next: 'provider_verified', gates: preflightGates, record: (preflight) => ({ preflight }) }),
  routeStep({ state: 'provider_verified', actor: 'prepareLanes', next: 'case_process_started', gates: laneSetupGates, record: (setup) => ({ setup }) }),
] as const;

export type RouteStep = (typeof ROUTE_STEPS)[number];
export type StepState = RouteStep['state'];
export type GateName = RouteStep['gates'][number];
export const GATE_NAMES: readonly GateName[] = ROUTE_STEPS.flatMap((step) => step.gates);

export function stepAt(state: StepState): RouteStep {
  const step = ROUTE_STEPS.find((candidate) => candidate.state === state);
  if (!step) throw new Error(`route: ${state} is not a gated step`);
  return step;
}
