import { describe, expect, it } from 'vitest';
import { firstError, type LaneLeftovers } from '../../src/evidence/first-error.js';

const log = (...events: unknown[]) => events.map((event) => JSON.stringify(event)).join('\n');

// What a lane that did everything right leaves; each case below spoils one thing.
const CLEAN: LaneLeftovers = {
  exit_code: 0,
  signal: null,
  timed_out: false,
  pipeline_outcome: 'completed',
  acceptance: { ran: true, passed: true, exit_code: 0, detail: 'passed', output_tail: 'sum-bug: acceptance check passed\n' },
  requests: [{ status: 200, refused: null }],
  stdout: '[unattended] Pipeline completed successfully.\n',
  stderr: '{"level":"info","msg":"spawning agent","agent":"implementer"}\n',
  events: [log({ event: 'pipeline_start' }, { event: 'pipeline_end', outcome: 'completed' })],
};

describe("a lane's first error, in the user's terms", () => {
  it('is null when the process, the pipeline and the acceptance check all succeeded', () => {
    expect(firstError(CLEAN)).toBeNull();
  });

  it("takes a failed phase's own error from Case's events, not just stdout's 'Pipeline failed at X phase.'", () => {
    const events = [
      log({ event: 'pipeline_start' }, { event: 'phase_end', phase: 'implement', outcome: 'failed', result: { status: 'failed', summary: 'gave up', error: 'Model not found: openai/qwen3.6-35b-a3b' } }),
      `${log({ event: 'pipeline_end', outcome: 'failed', failedAgent: 'implementer' })}\n{"event":"tool_st`,
    ];
    const left = { ...CLEAN, pipeline_outcome: 'failed', events, stdout: '[unattended] Pipeline failed at implementer phase.\n' };
    expect(firstError(left)).toEqual({ source: 'case', message: 'Pipeline failed at implement phase: Model not found: openai/qwen3.6-35b-a3b' });
    const withoutResult = { ...left, events: [log({ event: 'pipeline_end', outcome: 'failed', failedAgent: 'implementer' })] };
    expect(firstError({ ...withoutResult, stdout: '' })?.message).toBe('Pipeline failed at implementer phase');
    expect(firstError(withoutResult)?.message).toBe('Pipeline failed at implementer phase.');
  });

  it('puts errors from the model server first: Case hides them behind its own message', () => {
    const requests = [
      { status: 400, refused: null },
      { status: 400, refused: null },
      { status: 0, refused: null },
      { status: 403, refused: 'model_not_admitted' },
    ];
    const left = { ...CLEAN, pipeline_outcome: 'failed', requests, stdout: '[unattended] Pipeline failed at implement phase. AGENT_RESULT start delimiter not found\n', events: [] };
    expect(firstError(left)).toEqual({
      source: 'model_server',
      message: '3 of 3 model request(s) failed at the model server (HTTP 400 ×2, no answer ×1); then Pipeline failed at implement phase. AGENT_RESULT start delimiter not found',
    });
  });

  it("quotes what a crashing Case said: its Fatal line, an error-level log line, or its last words", () => {
    const crashed = { ...CLEAN, exit_code: 1, pipeline_outcome: null, events: [] };
    expect(firstError({ ...crashed, stderr: 'loading\nFatal: projects.json not found\n' })).toEqual({ source: 'process', message: 'Case exited with code 1: Fatal: projects.json not found' });
    expect(firstError({ ...crashed, stderr: '{"level":"error","msg":"pipeline crashed","error":"Model not found"}\n' })?.message).toBe('Case exited with code 1: pipeline crashed: Model not found');
    expect(firstError({ ...crashed, stderr: 'something odd\n    at main (case.ts:1)\nNode.js v20.19.0\n' })?.message).toBe('Case exited with code 1: something odd');
    expect(firstError({ ...crashed, exit_code: null, signal: 'SIGKILL', stderr: '', stdout: '' })?.message).toBe('Case was killed by SIGKILL and printed nothing');
    expect(firstError({ ...crashed, timed_out: true, exit_code: null, signal: 'SIGTERM' })?.message).toBe('Case did not finish before the timeout; its process tree was killed');
  });

  it('shows a failing acceptance check from its last error line, without stack frames', () => {
    const output_tail = 'running 3 cases\nnode:internal/modules/run_main:123\n    triggerUncaughtException(\nAssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n-1 !== 5\n\n    at file:///x/check.mjs:4:8\n  code: \'ERR_ASSERTION\'\n}\nNode.js v20.19.0\n';
    const left = { ...CLEAN, acceptance: { ran: true, passed: false, exit_code: 1, detail: 'exit 1', output_tail } };
    expect(firstError(left)).toEqual({
      source: 'acceptance',
      message: "the acceptance check exited with code 1; it printed:\nAssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n-1 !== 5\n  code: 'ERR_ASSERTION'\n}",
    });
    const plain = { ...left, acceptance: { ...left.acceptance, output_tail: Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') } };
    expect(firstError(plain)?.message.split('\n').slice(1)).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i + 8}`));
    const unchecked = { ...CLEAN, acceptance: { ran: false, passed: false, exit_code: null, detail: "the lane's copy cannot be checked: too many files", output_tail: '' } };
    expect(firstError(unchecked)?.message).toBe("the acceptance check did not run: the lane's copy cannot be checked: too many files");
  });

  it('never passes terminal escapes or control characters through, and clips long lines', () => {
    const stderr = `Fatal: \u001b]0;owned\u0007\u001b[2J\u001b[31mred\u001b[0m\u0000\u0008 ${'x'.repeat(1000)}\n`;
    const message = firstError({ ...CLEAN, exit_code: 2, stderr })!.message;
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(message.startsWith('Case exited with code 2: Fatal: red ')).toBe(true);
    expect(message.length).toBeLessThan(400);
  });
});
