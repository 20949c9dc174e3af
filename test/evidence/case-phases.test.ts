import { describe, expect, it } from 'vitest';
import { casePhases } from '../../src/evidence/case-phases.js';

const log = (...events: unknown[]) => ({ text: events.map((event) => JSON.stringify(event)).join('\n') });

describe("Case's phases, read from its event logs for the timeline", () => {
  it('pairs each phase_start with its phase_end, in order, with agent and outcome', () => {
    const phases = casePhases([
      log(
        { event: 'pipeline_start', ts: '2026-11-30T12:00:00.000Z' },
        { event: 'phase_start', phase: 'implement', agent: 'implementer', ts: '2026-11-30T12:00:00.100Z' },
        { event: 'tool_start', ts: '2026-11-30T12:00:00.200Z' },
        { event: 'phase_end', phase: 'implement', outcome: 'completed', ts: '2026-11-30T12:00:01.000Z' },
        { event: 'phase_start', phase: 'review', agent: 'reviewer', ts: '2026-11-30T12:00:01.100Z' },
      ),
    ]);
    expect(phases).toEqual([
      { phase: 'implement', agent: 'implementer', started_at: '2026-11-30T12:00:00.100Z', ended_at: '2026-11-30T12:00:01.000Z', outcome: 'completed' },
      // Case was stopped in it: it never ended.
      { phase: 'review', agent: 'reviewer', started_at: '2026-11-30T12:00:01.100Z', ended_at: null, outcome: null },
    ]);
  });

  it('drops a name that is not a short word (never cuts one into a word) and skips what has no readable time', () => {
    const phases = casePhases([
      log(
        { event: 'phase_start', phase: '<img src=x>\u001b[31mimplement', agent: 42, ts: '2026-11-30T12:00:00Z' },
        { event: 'phase_start', phase: 'x'.repeat(41), ts: '2026-11-30T12:00:00Z' },
        { event: 'phase_start', phase: 'verify', agent: 'verifier: 2', ts: '2026-11-30T12:00:01Z' },
        { event: 'phase_start', phase: 'review', ts: 'yesterday' },
        { event: 'phase_end', phase: 'close', outcome: 'completed', ts: '2026-11-30T12:00:02Z' },
      ),
      { text: '{"event":"phase_start","phase":"clo' },
    ]);
    expect(phases).toEqual([{ phase: 'verify', agent: 'verifier: 2', started_at: '2026-11-30T12:00:01.000Z', ended_at: null, outcome: null }]);
  });
});
