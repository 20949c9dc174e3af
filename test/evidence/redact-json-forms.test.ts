import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/evidence/redact.js';

// Found by an adversarial review of the transcript (issue 14): the JSON artifacts (report.json,
// proxy-audit.jsonl, transcript.jsonl, whose stream events are JSON inside JSON) are redacted as
// JSON text, where a quote or a backslash in a secret is written escaped.
const SECRET = 'CANARY"quoted\\key-000009';

describe('a secret holding a quote and a backslash', () => {
  it('is redacted from a JSON line, and from JSON held in a JSON string', () => {
    const redactor = createRedactor([SECRET]);
    const chunk = JSON.stringify({ choices: [{ delta: { content: `key ${SECRET}` } }] });
    const line = JSON.stringify({ request: { body: { messages: [{ role: 'tool', content: `key ${SECRET}` }] } }, response: { events: [{ t_ms: 1, data: chunk }] } });
    const redacted = redactor.redact(line);
    const parsed = JSON.parse(redacted) as { request: { body: { messages: Array<{ content: string }> } }; response: { events: Array<{ data: string }> } };
    expect(parsed.request.body.messages[0]!.content).toBe('key [REDACTED]');
    expect(JSON.parse(parsed.response.events[0]!.data).choices[0].delta.content).toBe('key [REDACTED]');
  });
});
