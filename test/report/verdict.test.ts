import { describe, expect, it } from 'vitest';
import type { LaneEvidence } from '../../src/lanes/lane-types.js';
import { failFindings, judgeLane } from '../../src/report/verdict.js';
import type { FailReason } from '../../src/report/verdict-reasons.js';
import { passingLane, request } from '../support/lane-evidence.js';

const contextExceeded = { kind: 'context_exceeded' as const, code: 'exceed_context_size_error', prompt_tokens: 9000, context_tokens: 8192 };
const refusedConnection = { kind: 'connection' as const, code: 'ECONNREFUSED', prompt_tokens: null, context_tokens: null };

// Each way a lane can fail, alone, and what each of the lane's verdicts and the run's findings
// say about it. `stage2` and `noFallback` are the lane's failures; `reasons` the run's codes.
const CASES: ReadonlyArray<{
  name: string;
  lane: Partial<LaneEvidence>;
  stage2: string[];
  noFallback: string[];
  reasons: FailReason[];
}> = [
  { name: 'a lane that passed on every count', lane: {}, stage2: [], noFallback: [], reasons: [] },
  {
    name: 'a timed-out lane: its timeout, not also its exit',
    lane: { timed_out: true, exit_code: null, signal: 'SIGKILL' },
    stage2: ['timed out; its process tree was killed'],
    noFallback: [],
    reasons: ['case_timeout'],
  },
  { name: 'a non-zero exit', lane: { exit_code: 3 }, stage2: ['exit 3'], noFallback: [], reasons: ['case_exit_nonzero'] },
  { name: 'killed by a signal', lane: { exit_code: null, signal: 'SIGTERM' }, stage2: ['exit by signal SIGTERM'], noFallback: [], reasons: ['case_exit_nonzero'] },
  {
    name: 'a pipeline that did not complete',
    lane: { pipeline_outcome: 'failed' },
    stage2: ['pipeline_end outcome failed'],
    noFallback: [],
    reasons: ['pipeline_not_completed'],
  },
  { name: 'no pipeline_end', lane: { pipeline_outcome: null }, stage2: ['pipeline_end outcome missing'], noFallback: [], reasons: ['pipeline_not_completed'] },
  {
    name: 'an acceptance check that failed',
    lane: { acceptance: { ran: true, passed: false, exit_code: 1, detail: 'exit 1', output_tail: '' } },
    stage2: ['acceptance check exit 1'],
    noFallback: [],
    reasons: ['acceptance_failed'],
  },
  {
    name: 'an acceptance check that did not run',
    lane: { acceptance: { ran: false, passed: false, exit_code: null, detail: 'no judge', output_tail: '' } },
    stage2: ['acceptance check did not run: no judge'],
    noFallback: [],
    reasons: ['acceptance_failed'],
  },
  {
    name: 'server errors in a lane that failed: after how it ended, before what it left',
    lane: {
      exit_code: 1,
      pipeline_outcome: 'failed',
      requests: [request(), request({ status: 400, upstream_error: contextExceeded }), request({ status: 502, upstream_error: refusedConnection })],
    },
    stage2: [
      'exit 1',
      '1 request(s): the local server answered 400: the request (9000 tokens) exceeds its context window (8192 tokens)',
      '1 request(s): no answer from the local server (ECONNREFUSED)',
      'pipeline_end outcome failed',
    ],
    noFallback: [],
    reasons: ['case_exit_nonzero', 'provider_context_exceeded', 'provider_error', 'pipeline_not_completed'],
  },
  {
    name: 'server errors in a lane that recovered are kept, not failed on',
    lane: { requests: [request({ status: 502, upstream_error: refusedConnection }), request()] },
    stage2: [],
    noFallback: [],
    reasons: [],
  },
  {
    name: 'no model request',
    lane: { requests: [request({ path: '/v1/models' })] },
    stage2: [],
    noFallback: ['no model request reached the recording proxy'],
    reasons: ['no_model_traffic'],
  },
  {
    name: 'a request for another model',
    lane: { requests: [request(), request({ model: 'gpt-4o' })] },
    stage2: [],
    noFallback: ['requests named other models: gpt-4o'],
    reasons: ['fallback_detected'],
  },
  {
    name: 'a refused request',
    lane: { requests: [request(), request({ path: '/v1/embeddings', refused: 'path_not_allowed', status: 403 })] },
    stage2: [],
    noFallback: ['1 request(s) refused by the recording proxy (path_not_allowed)'],
    reasons: ['fallback_detected'],
  },
  {
    name: 'an egress attempt',
    lane: { egress_attempts: [{ time: '2026-11-30T20:00:00.000Z', method: 'CONNECT', host: 'api.openai.com', port: 443 }] },
    stage2: [],
    noFallback: ['egress attempted to api.openai.com:443'],
    reasons: ['fallback_detected'],
  },
  {
    name: 'a spawn line naming another provider',
    lane: { spawn_lines: [{ agent: 'implementer', provider: 'anthropic', model: 'claude' }] },
    stage2: [],
    noFallback: ['spawn lines named anthropic/claude'],
    reasons: ['fallback_detected'],
  },
  {
    name: 'no spawn line',
    lane: { spawn_lines: [] },
    stage2: [],
    noFallback: ['Case logged no spawning agent line, so the model it asked for is unproven'],
    reasons: ['evidence_unparseable'],
  },
  {
    name: 'evidence cut at its cap',
    lane: { evidence_problems: [{ kind: 'truncated', detail: 'stdout reached 64 MiB' }] },
    stage2: [],
    noFallback: ['stdout reached 64 MiB'],
    reasons: ['evidence_truncated'],
  },
  {
    name: 'evidence that does not parse',
    lane: { evidence_problems: [{ kind: 'unparseable', detail: 'proxy-audit.jsonl line 3' }] },
    stage2: [],
    noFallback: ['proxy-audit.jsonl line 3'],
    reasons: ['evidence_unparseable'],
  },
  { name: 'a secret in the git history: the run fails, neither verdict', lane: { history_holds_secret: true }, stage2: [], noFallback: [], reasons: ['secret_detected'] },
  {
    name: 'the model no longer served: the run fails, neither verdict',
    lane: { served_after: { checked: true, still_served: false, detail: 'the server no longer lists the model' } },
    stage2: [],
    noFallback: [],
    reasons: ['model_changed'],
  },
];

describe('the verdict on one lane', () => {
  it.each(CASES)('$name', ({ lane, stage2, noFallback, reasons }) => {
    const evidence = passingLane(lane);
    const verdict = judgeLane(evidence);
    expect(verdict).toEqual({ stage2: { passed: stage2.length === 0, failures: stage2 }, noFallback: { verdict: noFallback.length === 0, failures: noFallback } });
    const findings = failFindings([evidence], 1, undefined);
    expect(findings.map((f) => f.reason)).toEqual(reasons);
    // The run's findings are the lane's own failures, named by lane: one set of rules, not two.
    for (const failure of [...stage2, ...noFallback]) expect(findings.map((f) => f.detail)).toContain(`fake lane: ${failure}`);
  });
});

describe('the findings of a started run', () => {
  const baseline = (fields: Partial<LaneEvidence> = {}) => passingLane({ role: 'baseline', ...fields });
  const real = passingLane({ lane: 'real' });

  it.each([
    { name: 'both lanes passed', lanes: [real, baseline()], expected: 2, error: undefined, reasons: [] },
    { name: 'a baseline that failed fails the run twice over', lanes: [real, baseline({ exit_code: 1 })], expected: 2, error: undefined, reasons: ['case_exit_nonzero', 'baseline_failed'] },
    { name: 'a baseline whose git history holds a secret still passed its own verdicts', lanes: [real, baseline({ history_holds_secret: true })], expected: 2, error: undefined, reasons: ['secret_detected'] },
    { name: 'a lane missing', lanes: [real], expected: 2, error: undefined, reasons: ['lane_error'] },
    { name: 'the supervisor failed', lanes: [], expected: 1, error: 'the lane actor stopped', reasons: ['lane_error', 'lane_error'] },
  ])('$name', ({ lanes, expected, error, reasons }) => {
    expect(failFindings(lanes, expected, error).map((f) => f.reason)).toEqual(reasons);
  });
});
