import { describe, expect, it } from 'vitest';
import type { TranscriptExchange } from '../../src/evidence/transcript.js';
import { scriptFromTranscript } from '../../src/replay/script-from-transcript.js';

let seq = 0;
function exchange(agent: string | null, turn: number, response: Partial<TranscriptExchange['response']>): TranscriptExchange {
  seq += 1;
  return {
    seq,
    lane: 'real',
    agent,
    turn,
    time: '2026-11-30T20:00:00.000Z',
    request: { path: '/v1/chat/completions', body: {} },
    response: { status: 200, content_type: 'text/event-stream', events: null, body: null, end_ms: 1, ...response },
  };
}
const chunk = (delta: object) => ({ t_ms: 1, data: JSON.stringify({ choices: [{ index: 0, delta }] }) });

describe('a model script from a transcript', () => {
  it('joins streamed tool-call fragments into argument objects, with the lane repository made relative', () => {
    const script = scriptFromTranscript([
      exchange('implementer', 0, {
        events: [
          chunk({ role: 'assistant', content: null }),
          chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'read', arguments: '' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":"<workspace>/lanes/real/re' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: 'po/src/sum.mjs"}' } }] }),
          { t_ms: 2, data: '[DONE]' },
        ],
      }),
      exchange('implementer', 1, { content_type: 'application/json', body: JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'done in <workspace>/lanes/real/repo' } }] }) }),
    ]);
    expect(script.roles).toEqual({
      implementer: [{ tool_calls: [{ name: 'read', arguments: { path: 'src/sum.mjs' } }] }, { content: 'done in .' }],
    });
  });

  it('keeps the first answer of a turn, and skips failed exchanges and requests of no agent', () => {
    const script = scriptFromTranscript([
      exchange(null, 0, { events: [chunk({ content: 'not an agent' })] }),
      exchange('reviewer', 0, { status: 500, body: '{"error":{}}', events: null }),
      exchange('reviewer', 0, { events: [chunk({ content: 'first' })] }),
      exchange('reviewer', 0, { events: [chunk({ content: 'retried' })] }),
    ]);
    expect(script.roles).toEqual({ reviewer: [{ content: 'first' }] });
  });

  it('refuses a gap in an agent\'s turns and arguments that are not an object', () => {
    expect(() => scriptFromTranscript([exchange('closer', 1, { events: [chunk({ content: 'x' })] })])).toThrow(/closer turn 1\): the recording has no successful answer for closer turn 0/);
    expect(() =>
      scriptFromTranscript([exchange('closer', 0, { events: [chunk({ tool_calls: [{ index: 0, function: { name: 'bash', arguments: '[1]' } }] })] })]),
    ).toThrow(/tool call bash has no argument object/);
  });
});
