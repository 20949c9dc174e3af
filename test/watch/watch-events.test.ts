import type { InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/evidence/redact.js';
import { createWatchTranslator } from '../../src/watch/watch-events.js';

// A lane event as the inspection stream carries it: sent to a lane actor, stamped with its time.
function laneEvent(event: Record<string, unknown>): InspectionEvent {
  const actorRef = { id: 'lane-real', sessionId: 'x:1' };
  return { type: '@xstate.event', rootId: 'x:0', actorRef, sourceRef: undefined, event } as unknown as InspectionEvent;
}

describe('the live view’s events', () => {
  it('redact a lane’s words before clipping them, so a secret at the clip is not shown in part', () => {
    const secret = 'canary-live-view-secret-0123456789abcdefghij';
    const redactor = createRedactor([secret], []);
    const translate = createWatchTranslator((text) => redactor.redact(text));
    // The secret straddles the 300-character clip of a shown text.
    const error = `${'x'.repeat(280)}${secret} and more`;
    const [observed] = translate(laneEvent({ type: 'case.failed', at: '2026-11-30T22:00:00.000Z', error }));
    expect(observed).toMatchObject({ kind: 'observed', lane: 'real', event: 'case.failed' });
    const shown = JSON.stringify(observed);
    expect(shown).not.toContain(secret.slice(0, 12));
    expect(shown).toContain('x'.repeat(280));
  });
});
