import { assign, enqueueActions, setup } from 'xstate';
import type { LaneEvidence, LaneName, LanesOutcome } from '../src/lanes/lane-types.js';
import { laneMachine, type LaneResult, type StopReason } from './lane.machine.js';

// Stage 2: one child actor per lane, started side by side. ABORT and the deadline are events
// here: every lane still going is told to stop, and Stage 2 is complete only once every lane has
// reached a final state (its process gone, its evidence read).

export const DEFAULT_STAGE2_DEADLINE_MS = 20 * 60 * 1000;

export interface SupervisorInput {
  readonly lanes: readonly LaneName[];
}

export interface SupervisorContext {
  readonly lanes: readonly LaneName[];
  readonly results: readonly LaneResult[];
  readonly stopping?: StopReason;
}

export function laneActorId(lane: LaneName): `lane-${LaneName}` {
  return `lane-${lane}`;
}

type LaneDone = { type: `xstate.done.actor.lane-${LaneName}`; output: LaneResult };

const stopEveryLane = (reason: StopReason) => [
  { type: 'recordStopping' as const, params: { reason } },
  { type: 'stopEveryLane' as const, params: { reason } },
];

const whenEveryLaneEnded = { guard: 'everyLaneEnded' as const, target: '#supervisor.complete' };

export const supervisorMachine = setup({
  types: {
    context: {} as SupervisorContext,
    input: {} as SupervisorInput,
    events: {} as { type: 'ABORT' } | LaneDone,
    output: {} as LanesOutcome,
  },
  actors: { lane: laneMachine },
  // The run provides its --timeout.
  delays: { stage2Deadline: DEFAULT_STAGE2_DEADLINE_MS },
  guards: {
    everyLaneEnded: ({ context }) => context.lanes.every((lane) => context.results.some((result) => result.lane === lane)),
  },
  actions: {
    startEveryLane: enqueueActions(({ context, enqueue }) => {
      for (const lane of context.lanes) enqueue.spawnChild('lane', { id: laneActorId(lane), input: { lane } });
    }),
    recordLaneEnd: assign({ results: ({ context, event }) => [...context.results, (event as LaneDone).output] }),
    recordStopping: assign({ stopping: ({ context }, params: { reason: StopReason }) => (context.stopping === 'abort' ? 'abort' : params.reason) }),
    // A lane that has ended is no longer a child; the others are told, and end when their
    // processes are gone.
    stopEveryLane: enqueueActions(({ context, enqueue }, params: { reason: StopReason }) => {
      for (const lane of context.lanes) {
        if (!context.results.some((result) => result.lane === lane)) enqueue.sendTo(laneActorId(lane), { type: 'lane.stop', reason: params.reason });
      }
    }),
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ lanes: input.lanes, results: [] }),
  entry: 'startEveryLane',
  on: {
    'xstate.done.actor.lane-fake': { actions: 'recordLaneEnd' },
    'xstate.done.actor.lane-real': { actions: 'recordLaneEnd' },
    'xstate.done.actor.lane-replay': { actions: 'recordLaneEnd' },
  },
  initial: 'supervising',
  states: {
    supervising: {
      always: whenEveryLaneEnded,
      on: { ABORT: { target: 'stopping', actions: stopEveryLane('abort') } },
      after: { stage2Deadline: { target: 'stopping', actions: stopEveryLane('deadline') } },
    },
    stopping: {
      always: whenEveryLaneEnded,
      // An abort after the deadline still cuts short the checks under way.
      on: { ABORT: { actions: stopEveryLane('abort') } },
    },
    complete: { type: 'final' },
  },
  output: ({ context }) => {
    const evidence: LaneEvidence[] = [];
    const errors: string[] = [];
    for (const lane of context.lanes) {
      const result = context.results.find((candidate) => candidate.lane === lane);
      if (result?.evidence) evidence.push(result.evidence);
      if (result?.error) errors.push(`${lane} lane: ${result.error}`);
    }
    return errors.length > 0 ? { lanes: evidence, error: errors.join('; ') } : { lanes: evidence };
  },
});

export type SupervisorMachine = typeof supervisorMachine;
