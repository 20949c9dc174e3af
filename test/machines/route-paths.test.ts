import { describe, expect, it } from 'vitest';
import { getSimplePaths } from 'xstate/graph';
import { routeMachine, type RouteContext } from '../../machines/route.machine.js';
import { ROUTE_STEPS } from '../../src/gates/route-steps.js';
import { BLOCK_REASON_CODES } from '../../src/gates/reasons.js';
import { STEP_OUTCOMES } from '../support/route-samples.js';

type Snapshot = { value: unknown; context: RouteContext; status: string };

// Every outcome of every step is offered as an event, including each step failing outright and
// an abort, so the traversal walks every route the machine allows.
function eventsFor(snapshot: Snapshot) {
  const step = STEP_OUTCOMES[String(snapshot.value)];
  if (!step || snapshot.status !== 'active') return [];
  return [
    ...step.outputs.map((output) => ({ type: `xstate.done.actor.${step.actor}`, output })),
    { type: `xstate.error.actor.${step.actor}`, error: new Error('step failed') },
    { type: 'ABORT' },
  ];
}

function pathsFor(mode: 'run' | 'validate') {
  return getSimplePaths(routeMachine, {
    input: { lane: 'fake', fixture: 'sum-bug', mode },
    events: eventsFor as never,
  }).map((path) => ({
    states: [...path.steps.map((step) => String(step.state.value))],
    final: path.state as unknown as Snapshot,
  }));
}

const runPaths = pathsFor('run');
const endingIn = (state: string) => runPaths.filter((path) => path.final.status === 'done' && path.final.value === state);

describe('the route over all its paths', () => {
  it('has blocked paths and started paths to prove things about', () => {
    expect(endingIn('blocked').length).toBeGreaterThan(BLOCK_REASON_CODES.length);
    expect(runPaths.some((path) => path.states.includes('case_process_started'))).toBe(true);
  });

  it('never passes through case_process_started on a path that ends in blocked', () => {
    for (const path of endingIn('blocked')) expect(path.states).not.toContain('case_process_started');
  });

  it('reaches case_process_started only after every gate state, in route order, with no block recorded', () => {
    const gateStates = ROUTE_STEPS.map((step) => step.state);
    const started = runPaths.filter((path) => path.states.includes('case_process_started'));
    for (const path of started) {
      const before = path.states.slice(0, path.states.indexOf('case_process_started'));
      expect(before.filter((state) => gateStates.includes(state as never))).toEqual(gateStates);
      expect(path.final.context.blocked).toBeUndefined();
      const { setup, preflight, admission, admissionSha256, decision } = path.final.context;
      expect(decision?.decision_status).toBe('local_provider_required');
      expect(admission?.admission_status).toBe('admitted');
      expect(preflight?.reachable).toBe(true);
      expect(preflight?.models_listed).toContain(admission?.model);
      expect([setup?.fixture.ok, setup?.caseCommand.ok, setup?.adapter.ok]).toEqual([true, true, true]);
      expect(setup?.admissionSha256).toBe(admissionSha256);
    }
  });

  it('reaches every reason code of the table, each through blocked', () => {
    const reached = new Set(endingIn('blocked').map((path) => path.final.context.blocked?.reason));
    expect([...reached].sort()).toEqual([...BLOCK_REASON_CODES].sort());
  });

  it('in validate mode never reaches case_process_started and ends validated when every gate passes', () => {
    const paths = pathsFor('validate');
    for (const path of paths) expect(path.states).not.toContain('case_process_started');
    expect(paths.some((path) => path.final.value === 'validated')).toBe(true);
  });
});
