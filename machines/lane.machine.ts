import { assign, fromCallback, sendTo, setup } from 'xstate';
import type { CheckedLane, LaneEvidence, LaneName, LaneProcessEnd, LaneTimelineEntry, SpawnLine } from '../src/lanes/lane-types.js';

// One lane of Stage 2, as a person watching it can follow: preparing (its process not yet
// spawned), running, then how it ended (exited, timed_out, killed), then checked (acceptance run,
// evidence read). Every event comes from what the harness observes as it happens, stamped `at`
// by the actor that saw it; the lane's timeline in the report is this list of events.

// How the lane's process ended, as the actor that ran it saw it.
export type ProcessEnd = LaneProcessEnd;

export type StopReason = 'abort' | 'deadline';

// Observed: stamped with when the harness saw it, and kept in the lane's timeline.
export type ObservedEvent =
  | { type: 'case.started'; at: string }
  | { type: 'case.spawn_line'; at: string; line: SpawnLine }
  | { type: 'proxy.model_request'; at: string; model: string | null; status: number; refused: string | null }
  | { type: 'proxy.egress_attempt'; at: string; host: string; port: number }
  | { type: 'case.exited' | 'case.timed_out' | 'case.killed'; at: string; end: ProcessEnd }
  | { type: 'case.failed' | 'checks.failed'; at: string; error: string }
  | { type: 'checks.pipeline_end'; at: string; outcome: string }
  | { type: 'checks.done'; at: string; evidence: CheckedLane };

// From the supervisor: end the lane now (the run was aborted, or Stage 2's deadline passed).
export type StopEvent = { type: 'lane.stop'; reason: StopReason };

export type LaneEvent = ObservedEvent | StopEvent;

export interface LaneInput {
  readonly lane: LaneName;
}

export interface LaneContext {
  readonly lane: LaneName;
  readonly timeline: readonly LaneTimelineEntry[];
  readonly stopRequested?: StopReason;
  readonly end?: ProcessEnd;
  readonly evidence?: CheckedLane;
  readonly error?: string;
}

// What the supervisor gets when the lane is over: its evidence, or why there is none.
export interface LaneResult {
  readonly lane: LaneName;
  readonly evidence?: LaneEvidence;
  readonly error?: string;
}

export interface CheckInput {
  readonly lane: LaneName;
  readonly end: ProcessEnd;
  // The run was aborted: the checks read what is there and run nothing more.
  readonly aborted: boolean;
}

// Actor stubs: the machine is a definition; src/lanes/lane-actor.ts provides the I/O.
function provided<TInput>() {
  return fromCallback<StopEvent, TInput>(() => {
    throw new Error('actor implementation not provided');
  });
}

type Ended = { end: ProcessEnd };
type Failed = { error: string };

const record = { type: 'record' } as const;

function ended() {
  return {
    invoke: {
      id: 'checkLane',
      src: 'checkLane',
      input: ({ context }: { context: LaneContext }): CheckInput => ({ lane: context.lane, end: context.end!, aborted: context.stopRequested === 'abort' }),
      onError: { target: '#lane.failed', actions: 'recordActorError' },
    },
    on: {
      'checks.pipeline_end': { actions: record },
      'checks.done': { target: '#lane.checked', actions: [record, 'recordEvidence'] },
      'checks.failed': { target: '#lane.failed', actions: [record, 'recordFailure'] },
      'lane.stop': { guard: 'stopIsAbort', actions: ['recordStop', 'forwardStopToChecks'] },
    },
  } as const;
}

export const laneMachine = setup({
  types: {
    context: {} as LaneContext,
    input: {} as LaneInput,
    events: {} as LaneEvent,
    output: {} as LaneResult,
  },
  actors: {
    watchProxies: provided<LaneInput>(),
    runCase: provided<LaneInput>(),
    checkLane: provided<CheckInput>(),
  },
  guards: {
    stopIsAbort: ({ event }) => event.type === 'lane.stop' && event.reason === 'abort',
  },
  actions: {
    record: assign({
      timeline: ({ context, event }) => ('at' in event ? [...context.timeline, { at: event.at, event: event.type }] : context.timeline),
    }),
    recordEnd: assign({ end: ({ event }) => (event as Ended).end }),
    recordStop: assign({ stopRequested: ({ context, event }) => context.stopRequested ?? (event as StopEvent).reason }),
    recordEvidence: assign({ evidence: ({ event }) => (event as { evidence: CheckedLane }).evidence }),
    recordFailure: assign({ error: ({ event }) => (event as Failed).error }),
    recordActorError: assign({ error: ({ event }) => String((event as { error?: { message?: string } }).error?.message ?? 'the lane actor failed') }),
    forwardStopToCase: sendTo('runCase', ({ event }) => event),
    forwardStopToChecks: sendTo('checkLane', ({ event }) => event),
  },
}).createMachine({
  id: 'lane',
  context: ({ input }) => ({ lane: input.lane, timeline: [] }),
  // The proxies record for the lane's whole life: the acceptance check's egress counts too.
  invoke: { id: 'watchProxies', src: 'watchProxies', input: ({ context }) => ({ lane: context.lane }) },
  on: {
    'proxy.model_request': { actions: record },
    'proxy.egress_attempt': { actions: record },
  },
  initial: 'live',
  states: {
    live: {
      invoke: {
        id: 'runCase',
        src: 'runCase',
        input: ({ context }) => ({ lane: context.lane }),
        onError: { target: 'failed', actions: 'recordActorError' },
      },
      on: {
        'case.exited': { target: 'exited', actions: [record, 'recordEnd'] },
        'case.timed_out': { target: 'timed_out', actions: [record, 'recordEnd'] },
        'case.killed': { target: 'killed', actions: [record, 'recordEnd'] },
        'case.failed': { target: 'failed', actions: [record, 'recordFailure'] },
        // The lane ends when its process is gone, not when it is asked to: the actor running it
        // says how it ended.
        'lane.stop': { actions: ['recordStop', 'forwardStopToCase'] },
      },
      initial: 'preparing',
      states: {
        preparing: { on: { 'case.started': { target: 'running', actions: record } } },
        running: { on: { 'case.spawn_line': { actions: record } } },
      },
    },
    exited: ended(),
    timed_out: ended(),
    killed: ended(),
    checked: { type: 'final' },
    // The harness could not run or read the lane; the run fails with the error.
    failed: { type: 'final' },
  },
  output: ({ context }) => ({
    lane: context.lane,
    ...(context.evidence ? { evidence: { ...context.evidence, timeline: context.timeline } } : {}),
    ...(context.error ? { error: context.error } : {}),
  }),
});

export type LaneMachine = typeof laneMachine;
