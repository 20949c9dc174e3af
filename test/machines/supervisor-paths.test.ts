import { createActor, fromCallback, SimulatedClock, type AnyActorLogic, type AnyActorRef, type EventObject } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { laneMachine, type CheckInput, type LaneEvent, type ObservedEvent, type ProcessEnd, type StopEvent, type StopReason } from '../../machines/lane.machine.js';
import { laneActorId, supervisorMachine } from '../../machines/supervisor.machine.js';
import type { CheckedLane, LaneName } from '../../src/lanes/lane-types.js';

const AT = '2026-11-30T12:00:00.000Z';
const END: ProcessEnd = { startedAt: AT, exitCode: 0, signal: null, timedOut: false, aborted: false, truncated: false, durationMs: 1 };
// The machines never look inside the evidence; the checks' output is carried as it comes.
const EVIDENCE = { lane: 'fake' } as unknown as CheckedLane;

const stateName = (value: unknown): string =>
  typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([key, inner]) => `${key}.${stateName(inner)}`)[0]!;

// The lane machine alone, offered every event in every state (its actors' reports in any order,
// out of turn included, and the supervisor's stop), so the proof holds whatever its actors do.
const EVERY_LANE_EVENT: LaneEvent[] = [
  { type: 'case.started', at: AT },
  { type: 'case.spawn_line', at: AT, line: { agent: 'implementer', provider: 'openai', model: 'm' } },
  { type: 'proxy.model_request', at: AT, model: 'm', status: 200, refused: null },
  { type: 'proxy.egress_attempt', at: AT, host: 'api.anthropic.com', port: 443 },
  { type: 'case.exited', at: AT, end: END },
  { type: 'case.timed_out', at: AT, end: END },
  { type: 'case.killed', at: AT, end: END },
  { type: 'case.failed', at: AT, error: 'spawn failed' },
  { type: 'lane.stop', reason: 'abort' },
  { type: 'lane.stop', reason: 'deadline' },
  { type: 'checks.pipeline_end', at: AT, outcome: 'completed' },
  { type: 'checks.done', at: AT, evidence: EVIDENCE },
  { type: 'checks.failed', at: AT, error: 'unreadable' },
];

const PROCESS_GONE = ['exited', 'timed_out', 'killed'];

describe('a lane over all its paths', () => {
  const paths = getSimplePaths(laneMachine, {
    input: { lane: 'fake' },
    events: EVERY_LANE_EVENT as never,
    // The timeline grows with every event; a state is where the lane is and what it was told.
    serializeState: (snapshot) => JSON.stringify({ value: snapshot.value, stop: snapshot.context.stopRequested, status: snapshot.status }),
    // Each step holds the state an event led to, the first the initial state.
  }).map((path) => path.steps.map((step) => stateName(step.state.value)));

  it('is checked only after its process is gone', () => {
    expect(paths.some((states) => states.includes('checked'))).toBe(true);
    for (const states of paths) {
      states.forEach((state, index) => {
        if (state === 'checked') expect(PROCESS_GONE, states.join(' > ')).toContain(states[index - 1]);
      });
    }
  });

  it('goes through preparing, then running, before its process can have reached the model', () => {
    const ran = paths.filter((states) => states.includes('live.running'));
    expect(ran.length).toBeGreaterThan(0);
    for (const states of ran) expect(states.indexOf('live.preparing')).toBeLessThan(states.indexOf('live.running'));
  });
});

// The supervisor with its real lane actors, as one system. The lanes' I/O actors are stand-ins
// the proof drives: each reports only what the real one can (killed or timed out only once told
// to stop, how the stop asked), and remembers whether it was told. A state of the system is
// rebuilt by replaying its events on fresh actors, so every path runs the real machines.
type SystemEvent = { type: 'ABORT' } | { type: 'DEADLINE' } | { type: 'report'; lane: LaneName; event: ObservedEvent };

interface LaneView {
  readonly state: string;
  readonly caseRunning: boolean;
  readonly checksRunning: boolean;
  readonly stoppedWith?: StopReason;
  // How its process ended, once it has.
  readonly endedAs?: string;
}

interface SystemState {
  readonly history: readonly SystemEvent[];
  readonly supervisor: { readonly state: string; readonly done: boolean; readonly lanesOut: number };
  readonly lanes: Readonly<Record<LaneName, LaneView>>;
}

const LANES: LaneName[] = ['real', 'fake'];
const DEADLINE_MS = 1000;

function replay(history: readonly SystemEvent[]): SystemState {
  const clock = new SimulatedClock();
  const io: Record<string, { sendCase?: (e: EventObject) => void; sendChecks?: (e: EventObject) => void; caseRunning: boolean; checksRunning: boolean; stoppedWith?: StopReason }> = {};
  for (const lane of LANES) io[lane] = { caseRunning: false, checksRunning: false };
  const standIns = {
    watchProxies: fromCallback<StopEvent, { lane: LaneName }>(() => undefined),
    runCase: fromCallback<StopEvent, { lane: LaneName }>(({ input, sendBack, receive }) => {
      const lane = io[input.lane]!;
      Object.assign(lane, { sendCase: sendBack, caseRunning: true });
      receive((event) => {
        lane.stoppedWith ??= event.reason;
      });
      return () => {
        lane.caseRunning = false;
      };
    }),
    checkLane: fromCallback<StopEvent, CheckInput>(({ input, sendBack }) => {
      const lane = io[input.lane]!;
      Object.assign(lane, { sendChecks: sendBack, checksRunning: true });
      return () => {
        lane.checksRunning = false;
      };
    }),
  };
  const laneStates: Record<string, { state: string; endedAs?: string }> = {};
  const machine = supervisorMachine.provide({ actors: { lane: laneMachine.provide({ actors: standIns }) }, delays: { stage2Deadline: DEADLINE_MS } });
  const supervisor = createActor(machine, {
    input: { lanes: LANES },
    clock,
    inspect: (event) => {
      if (event.type !== '@xstate.snapshot' || !('value' in event.snapshot)) return;
      const id = (event.actorRef as AnyActorRef).id;
      if (!id.startsWith('lane-')) return;
      const state = stateName(event.snapshot.value);
      laneStates[id] = { state, endedAs: laneStates[id]?.endedAs ?? (PROCESS_GONE.includes(state) ? state : undefined) };
    },
  });
  supervisor.start();
  for (const event of history) {
    if (event.type === 'ABORT') supervisor.send(event);
    else if (event.type === 'DEADLINE') clock.increment(DEADLINE_MS);
    else if (event.event.type.startsWith('checks.')) io[event.lane]!.sendChecks!(event.event);
    else io[event.lane]!.sendCase!(event.event);
  }
  const snapshot = supervisor.getSnapshot();
  const lanes = Object.fromEntries(
    LANES.map((lane) => {
      const { sendCase: _c, sendChecks: _k, ...flags } = io[lane]!;
      return [lane, { ...flags, ...laneStates[laneActorId(lane)]! }];
    }),
  ) as Record<LaneName, LaneView>;
  supervisor.stop();
  return {
    history,
    supervisor: { state: stateName(snapshot.value), done: snapshot.status === 'done', lanesOut: snapshot.output?.lanes.length ?? 0 },
    lanes,
  };
}

// What each stand-in can report from where its lane is.
function nextEvents(state: SystemState): SystemEvent[] {
  if (state.supervisor.done) return [];
  const events: SystemEvent[] = [{ type: 'ABORT' }];
  if (state.supervisor.state === 'supervising') events.push({ type: 'DEADLINE' });
  for (const lane of LANES) {
    const view = state.lanes[lane];
    const report = (event: ObservedEvent) => events.push({ type: 'report', lane, event });
    if (view.caseRunning) {
      if (view.state === 'live.preparing') report({ type: 'case.started', at: AT });
      if (view.stoppedWith === 'abort') report({ type: 'case.killed', at: AT, end: { ...END, aborted: true } });
      else if (view.stoppedWith === 'deadline') report({ type: 'case.timed_out', at: AT, end: { ...END, aborted: true, timedOut: true } });
      else {
        report({ type: 'case.exited', at: AT, end: END });
        // Its output passed the cap: the tree is killed without being told.
        report({ type: 'case.killed', at: AT, end: { ...END, truncated: true } });
      }
    }
    if (view.checksRunning) report({ type: 'checks.done', at: AT, evidence: EVIDENCE });
  }
  return events;
}

const systemLogic = {
  getInitialSnapshot: () => replay([]),
  transition: (state: SystemState, event: SystemEvent) => replay([...state.history, event]),
} as unknown as AnyActorLogic;

const serialize = (state: SystemState) => JSON.stringify({ supervisor: state.supervisor, lanes: state.lanes });

describe('the supervisor and its lanes over all their paths', () => {
  const paths = getSimplePaths(systemLogic, {
    events: nextEvents as never,
    serializeState: serialize as never,
    toState: ((state: SystemState) => nextEvents(state).length === 0) as never,
  }).map((path) => ({ steps: path.steps.map((step) => ({ state: step.state as SystemState, event: step.event as SystemEvent })), end: path.state as SystemState }));

  it('ends every path with Stage 2 complete and every lane final, its process gone', () => {
    expect(paths.length).toBeGreaterThan(100);
    for (const { end } of paths) {
      expect(end.supervisor).toMatchObject({ state: 'complete', done: true, lanesOut: LANES.length });
      for (const lane of LANES) {
        expect(end.lanes[lane].state).toBe('checked');
        expect(end.lanes[lane].caseRunning).toBe(false);
      }
    }
  });

  it('kills every running lane before Stage 2 completes on every path through ABORT or the deadline', () => {
    let stopped = 0;
    for (const { steps, end } of paths) {
      const first = steps.findIndex((step) => step.event.type === 'ABORT' || step.event.type === 'DEADLINE');
      if (first < 0) continue;
      stopped += 1;
      const how = steps[first]!.event.type === 'ABORT' ? 'killed' : 'timed_out';
      // Each step holds the state its event led to: the lanes as they were are the step before.
      for (const lane of LANES) {
        if (!steps[first - 1]!.state.lanes[lane].caseRunning) continue;
        expect(end.lanes[lane].stoppedWith).toBe(how === 'killed' ? 'abort' : 'deadline');
        expect(end.lanes[lane].endedAs).toBe(how);
      }
    }
    expect(stopped).toBeGreaterThan(0);
  });

  it('never has a lane checked while its process actor still runs', () => {
    for (const { steps } of paths) {
      for (const { state } of steps) {
        for (const lane of LANES) if (state.lanes[lane].state === 'checked') expect(state.lanes[lane].caseRunning).toBe(false);
      }
    }
  });
});
