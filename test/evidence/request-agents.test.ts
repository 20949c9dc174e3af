import { describe, expect, it } from 'vitest';
import { casePhases } from '../../src/evidence/case-phases.js';
import { requestAgent, spawnsSeen } from '../../src/evidence/request-agents.js';

// Case's events as WorkOS Case writes them (src/events/schema.ts in workos/case: event, phase,
// agent, ts, sequence, runId), one JSON object a line.
const line = (fields: Record<string, unknown>) => JSON.stringify({ sequence: 0, runId: 'r', ...fields });
const events = (...lines: string[]) => [{ name: 'run-r.jsonl', text: lines.join('\n') }];
const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, 0, ms)).toISOString();

describe("a request's Case agent", () => {
  const phases = casePhases(
    events(
      line({ event: 'pipeline_start', ts: at(0) }),
      line({ event: 'phase_start', phase: 'implement', agent: 'implementer', ts: at(10) }),
      line({ event: 'tool_start', phase: 'implement', agent: 'implementer', ts: at(20) }),
      line({ event: 'phase_end', phase: 'implement', agent: 'implementer', outcome: 'completed', ts: at(100) }),
      line({ event: 'phase_start', phase: 'verify', agent: 'verifier', ts: at(110) }),
      line({ event: 'phase_start', phase: 'review', agent: 'reviewer', ts: at(120) }),
      line({ event: 'phase_end', phase: 'verify', agent: 'verifier', outcome: 'completed', ts: at(200) }),
      'not json {"phase_start"',
    ),
  );

  it('reads each phase from its start to its end; one without an end stays open', () => {
    expect(phases).toEqual([
      { phase: 'implement', agent: 'implementer', started_at: at(10), ended_at: at(100), outcome: 'completed' },
      { phase: 'verify', agent: 'verifier', started_at: at(110), ended_at: at(200), outcome: 'completed' },
      { phase: 'review', agent: 'reviewer', started_at: at(120), ended_at: null, outcome: null },
    ]);
  });

  it('is the agent whose phase holds the request; overlapping phases leave it unmatched', () => {
    expect(requestAgent(at(50), phases, [])).toEqual({ agent: 'implementer', agent_basis: 'case_events' });
    expect(requestAgent(at(150), phases, [])).toEqual({ agent: null, agent_basis: null });
    expect(requestAgent(at(5000), phases, [])).toEqual({ agent: 'reviewer', agent_basis: 'case_events' });
  });

  it('outside every phase, is the agent of the last spawn line seen before it', () => {
    const timeline = [
      { at: at(0), event: 'case.started' },
      { at: at(8), event: 'case.spawn_line' },
      { at: at(105), event: 'case.spawn_line' },
    ];
    const spawns = spawnsSeen(timeline, [{ agent: 'implementer' }, { agent: 'verifier' }]);
    expect(requestAgent(at(9), [], spawns)).toEqual({ agent: 'implementer', agent_basis: 'spawn_line' });
    expect(requestAgent(at(106), phases.slice(0, 1), spawns)).toEqual({ agent: 'verifier', agent_basis: 'spawn_line' });
    expect(requestAgent(at(1), [], spawns)).toEqual({ agent: null, agent_basis: null });
    // Counts that disagree (a line seen live but unreadable later) pair nothing.
    expect(spawnsSeen(timeline, [{ agent: 'implementer' }])).toEqual([]);
  });
});
