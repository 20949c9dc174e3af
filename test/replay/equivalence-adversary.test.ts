import { describe, expect, it } from 'vitest';
import { compareRequests } from '../../src/replay/equivalence.js';

// Attacks found by an adversarial review of record/replay (issue 14): a replayed Case whose
// request differs from the recording in what it tells the model, where the difference is hidden
// by a normalization meant for something else (a git object name, a tool-call id). The replay
// would answer it with the recorded answer and report that it matched.

const system = { role: 'system', content: '# Implementer — test\nFollow the task.' };
const toolTurn = (output: string) => [
  { role: 'user', content: 'fix the bug' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'call_a1b2c3d4e5', type: 'function', function: { name: 'bash', arguments: '{"command":"node test/check.mjs"}' } }] },
  { role: 'tool', tool_call_id: 'call_a1b2c3d4e5', content: output },
];
const body = (output: string) => ({ model: 'qwen3.6-35b-a3b', stream: true, messages: [system, ...toolTurn(output)] });

describe('request equivalence does not hide', () => {
  it('a different number in a tool output because it has seven digits', () => {
    const found = compareRequests(body('balance: expected 1000000, got 1000000\nPASS'), body('balance: expected 1000000, got 9999999\nPASS'));
    expect(found?.path).toBe('messages[3].content');
  });

  it('a different word in a tool output because it starts like a tool-call id', () => {
    const found = compareRequests(body('test call_sum_passes\nok'), body('test call_sum_fails\nok'));
    expect(found?.path).toBe('messages[3].content');
  });
});
