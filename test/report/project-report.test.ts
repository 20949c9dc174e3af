import { describe, expect, it } from 'vitest';
import type { RouteContext } from '../../machines/route.machine.js';
import { GATE_NAMES } from '../../src/gates/route-steps.js';
import type { LaneEvidence } from '../../src/lanes/lane-types.js';
import { projectReport, type RunFacts } from '../../src/report/project-report.js';
import { passingLane } from '../support/lane-evidence.js';
import { admission, decision } from '../support/route-samples.js';

const PRE_START = ['loading_decision', 'decision_loaded', 'config_checked', 'admission_matched', 'provider_verified'];
const STARTED = [...PRE_START, 'case_process_started', 'stage2_complete', 'report_emitted'];

function facts(context: Partial<RouteContext>, states: readonly string[], fields: Partial<RunFacts> = {}): RunFacts {
  return {
    runId: 'run-1',
    context: { lane: 'fake', fixture: 'sum-bug', mode: 'run', decision, decisionSha256: 'd'.repeat(64), admission, admissionSha256: 'a'.repeat(64), ...context },
    finalState: states.at(-1)!,
    visits: states.map((state) => ({ state, at: '2026-11-30T20:00:00.000Z' })),
    startedAt: '2026-11-30T20:00:00.000Z',
    finishedAt: '2026-11-30T20:00:01.000Z',
    aborted: false,
    redactionCount: 0,
    artifactFindings: [],
    ...fields,
  };
}

const ran = (lanes: LaneEvidence[], error?: string): Partial<RouteContext> => ({ lanes: { lanes, ...(error ? { error } : {}) } });
const blockedAt = (gate: (typeof GATE_NAMES)[number]): Partial<RouteContext> => ({ blocked: { gate, reason: 'model_not_served', detail: 'not listed' } });

// What the report says of a run, from the facts alone.
describe('the report as a projection of the run', () => {
  it.each([
    { name: 'a lane that passed', facts: facts(ran([passingLane()]), STARTED), status: 'pass', noFallback: true, failReasons: [] },
    { name: 'a lane that failed', facts: facts(ran([passingLane({ exit_code: 1 })]), STARTED), status: 'fail', noFallback: true, failReasons: ['case_exit_nonzero'] },
    {
      name: 'a lane that fell back',
      facts: facts(ran([passingLane({ spawn_lines: [{ agent: 'implementer', provider: 'anthropic', model: 'claude' }] })]), STARTED),
      status: 'fail',
      noFallback: false,
      failReasons: ['fallback_detected'],
    },
    {
      name: 'a secret found in an artifact after the lanes passed',
      facts: facts(ran([passingLane()]), STARTED, { artifactFindings: [{ reason: 'secret_detected', detail: 'stdout.log holds a secret' }] }),
      status: 'fail',
      noFallback: true,
      failReasons: ['secret_detected'],
    },
    { name: 'started but no lane reported', facts: facts(ran([], 'the supervisor failed'), STARTED), status: 'fail', noFallback: false, failReasons: ['lane_error', 'lane_error'] },
    { name: 'blocked before Case started', facts: facts(blockedAt('modelIsServed'), [...PRE_START.slice(0, 4), 'blocked']), status: 'blocked', noFallback: false, failReasons: [] },
    {
      name: 'aborted while the lanes ran',
      facts: facts(ran([passingLane({ exit_code: null, signal: 'SIGKILL' })]), [...STARTED.slice(0, 6), 'aborted'], { aborted: true }),
      status: 'aborted',
      noFallback: true,
      failReasons: [],
    },
  ])('$name: $status', ({ facts: run, status, noFallback, failReasons }) => {
    const report = projectReport(run);
    expect(report.status).toBe(status);
    expect(report.no_fallback.verdict).toBe(noFallback);
    expect(report.fail_reasons.map((f) => f.reason)).toEqual(failReasons);
    expect(report.case_process_started).toBe(run.visits.some((v) => v.state === 'case_process_started'));
  });

  it.each([
    { name: 'every gate passed', facts: facts(ran([passingLane()]), STARTED), outcomes: { passed: GATE_NAMES.length, blocked: 0, not_reached: 0 } },
    {
      // providerIsReachable passed, modelIsServed blocked, the rest of the route not reached.
      name: 'blocked at modelIsServed',
      facts: facts(blockedAt('modelIsServed'), [...PRE_START.slice(0, 4), 'blocked']),
      outcomes: { passed: GATE_NAMES.indexOf('modelIsServed'), blocked: 1, not_reached: GATE_NAMES.length - GATE_NAMES.indexOf('modelIsServed') - 1 },
    },
    {
      name: 'a step that threw: its gates not reached, none blocked',
      facts: facts({ blocked: { gate: 'stepFailed', reason: 'route_error', detail: 'boom' } }, ['loading_decision', 'blocked']),
      outcomes: { passed: 0, blocked: 0, not_reached: GATE_NAMES.length },
    },
  ])('gates: $name', ({ facts: run, outcomes }) => {
    const gates = projectReport(run).gates;
    expect(gates.map((g) => g.gate)).toEqual(GATE_NAMES);
    const count = (outcome: string) => gates.filter((g) => g.outcome === outcome).length;
    expect({ passed: count('passed'), blocked: count('blocked'), not_reached: count('not_reached') }).toEqual(outcomes);
    if (outcomes.blocked) expect(gates.find((g) => g.outcome === 'blocked')?.gate).toBe(run.context.blocked?.gate);
  });

  it.each([
    { name: 'started and proven', facts: facts(ran([passingLane()]), STARTED), evidence: /^fake lane: 1 request\(s\), all for / },
    { name: 'started with a fallback', facts: facts(ran([passingLane({ requests: [] })]), STARTED), evidence: /^fake lane: no model request reached the recording proxy$/ },
    { name: 'started with no lane evidence', facts: facts(ran([]), STARTED), evidence: /^no lane evidence$/ },
    { name: 'not started', facts: facts(blockedAt('modelIsServed'), [...PRE_START.slice(0, 4), 'blocked']), evidence: /^Case was not started$/ },
  ])('no_fallback evidence: $name', ({ facts: run, evidence }) => {
    const [first] = projectReport(run).no_fallback.evidence;
    expect(first).toMatch(evidence);
  });

  it('compares the real lane with its baseline and names the failed baseline', () => {
    const real = passingLane({ lane: 'real' });
    const baseline = passingLane({ role: 'baseline', exit_code: 1 });
    const report = projectReport(facts({ lane: 'real', ...ran([real, baseline]) }, STARTED));
    expect(report.baseline_comparison).toEqual({ baseline_passed: false, differences: ['exit_code: real 0, baseline 1'] });
    expect(report.fail_reasons.map((f) => f.reason)).toEqual(['case_exit_nonzero', 'baseline_failed']);
  });
});
