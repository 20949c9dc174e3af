import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/evidence/redact.js';
import { compareRequests } from '../../src/replay/equivalence.js';

const system = { role: 'system', content: '# Implementer — test\nFollow the task.' };
const user = (content: string) => ({ role: 'user', content });
const body = (...messages: unknown[]) => ({ model: 'qwen3.6-35b-a3b', stream: true, messages, tools: [{ type: 'function', function: { name: 'read' } }] });
const toolTurn = (id: string, output: string) => [
  { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'bash', arguments: '{"command":"node test/check.mjs"}' } }] },
  { role: 'tool', tool_call_id: id, content: output },
];
const live = join(tmpdir(), 'case-route-AbC_12-xYz98');

// Each row: what the recording holds, what a replay sent, and where they differ (null: equivalent).
const CASES: Array<{ name: string; recorded: unknown; received: unknown; path: string | null }> = [
  { name: 'identical requests', recorded: body(system, user('fix sum')), received: body(system, user('fix sum')), path: null },
  {
    name: 'sampling and length fields are not compared',
    recorded: { ...body(system, user('x')), max_completion_tokens: 8192, temperature: 0.2 },
    received: { ...body(system, user('x')), max_completion_tokens: 16384 },
    path: null,
  },
  {
    name: 'the recorded workspace label matches a live workspace, whatever the lane is called',
    recorded: body(system, user('cwd: <workspace>/lanes/real/repo')),
    received: body(system, user(`cwd: ${live}/lanes/replay/repo`)),
    path: null,
  },
  { name: 'other temp directories', recorded: body(system, user(`wrote ${join(tmpdir(), 'tmp.q1')}/out`)), received: body(system, user(`wrote ${join(tmpdir(), 'tmp.Z9')}/out`)), path: null },
  { name: 'timestamps and dates', recorded: body(system, user('at 2026-05-16T10:11:12.345Z on 2026-05-16')), received: body(system, user('at 2026-11-30T20:01:02Z on 2026-11-30')), path: null },
  { name: "git log's dates", recorded: body(system, user('Date:   Mon Nov 30 20:32:25 2026 +0000\n\n    fix')), received: body(system, user('Date:   Tue Dec 1 08:04:57 2026 +0000\n\n    fix')), path: null },
  { name: 'durations', recorded: body(system, user('Tests passed in 12ms (0.4 s)')), received: body(system, user('Tests passed in 7ms (1.25 s)')), path: null },
  {
    name: 'tool-call ids and the ids that echo them',
    recorded: body(system, user('x'), ...toolTurn('call_abcdef123456', 'ok')),
    received: body(system, user('x'), ...toolTurn('call_ZZZZZZ999999', 'ok')),
    path: null,
  },
  { name: 'git object names', recorded: body(system, user('[case/work 3f9a2c1] fix')), received: body(system, user('[case/work a07be44] fix')), path: null },
  { name: 'a short git object name that is all digits', recorded: body(system, user('8617117 fix: sum()')), received: body(system, user('a07be44 fix: sum()')), path: null },
  { name: 'a longer number is not an object name', recorded: body(system, user('1234567890 rows')), received: body(system, user('1234567891 rows')), path: 'messages[1].content' },
  { name: 'uuids', recorded: body(system, user('run-123e4567-e89b-12d3-a456-426614174000')), received: body(system, user('run-00000000-1111-2222-3333-4444aaaa5555')), path: null },
  { name: 'a secret redacted in the recording', recorded: body(system, user('key [REDACTED]')), received: body(system, user('key sk-proj-abcdefghijklmnopqrstuvwx')), path: null },
  { name: 'a different prompt', recorded: body(system, user('fix sum')), received: body(system, user('fix sum, and delete the tests')), path: 'messages[1].content' },
  { name: 'a different agent prompt', recorded: body(system, user('x')), received: body({ role: 'system', content: '# Reviewer — test' }, user('x')), path: 'messages[0].content' },
  { name: 'another model', recorded: body(system, user('x')), received: { ...body(system, user('x')), model: 'claude-sonnet-4-6' }, path: 'model' },
  { name: 'not streamed any more', recorded: body(system, user('x')), received: { ...body(system, user('x')), stream: false }, path: 'stream' },
  { name: 'an extra message', recorded: body(system, user('x')), received: body(system, user('x'), user('y')), path: 'messages.length' },
  { name: 'a different tool output', recorded: body(system, user('x'), ...toolTurn('call_a1b2c3d4e5', 'PASS 5')), received: body(system, user('x'), ...toolTurn('call_a1b2c3d4e5', 'FAIL 5')), path: 'messages[3].content' },
  { name: 'a tool offered or not', recorded: body(system, user('x')), received: { ...body(system, user('x')), tools: [] }, path: 'tools.length' },
  { name: 'a tool_choice added', recorded: body(system, user('x')), received: { ...body(system, user('x')), tool_choice: 'none' }, path: 'tool_choice' },
  { name: 'a number is not a path', recorded: body(system, user('expected 5')), received: body(system, user('expected 6')), path: 'messages[1].content' },
];

describe('request equivalence', () => {
  it.each(CASES)('$name', ({ recorded, received, path }) => {
    const found = compareRequests(recorded, received);
    expect(found?.path ?? null).toBe(path);
  });

  it("labels the live request's paths with the run's own redactor", () => {
    const redactor = createRedactor([], [{ path: '/srv/checkout/case-local-route', label: '<case-local-route>' }]);
    const recorded = body(system, user('see <case-local-route>/dist/x.js'));
    expect(compareRequests(recorded, body(system, user('see /srv/checkout/case-local-route/dist/x.js')), (t) => redactor.redact(t))).toBeNull();
    expect(compareRequests(recorded, body(system, user('see /srv/checkout/case-local-route/dist/x.js')))).not.toBeNull();
  });

  it('says where a string differs, with both sides', () => {
    const found = compareRequests(body(system, user('Make node test/check.mjs pass.')), body(system, user('Make node test/check.mjs fail.')));
    expect(found).toEqual({ path: 'messages[1].content', detail: expect.stringMatching(/^differs at character 25: recorded ".*pass\.", received ".*fail\."$/) });
  });
});
