import type { InspectionEvent } from 'xstate';

// What the live view shows, picked out of XState's inspection stream: the route's state as it
// changes, the supervisor's and each lane's state, every event a lane's actor receives (what the
// harness observed: a spawn, a spawn line, a request through the recording proxy, an egress
// attempt, the process ending, the checks), and the verdict once the report is written. Only
// names, codes, times and short texts leave: never a step's input or output.
export type WatchEvent =
  | { readonly kind: 'route'; readonly state: string; readonly at: string }
  | { readonly kind: 'supervisor'; readonly state: string; readonly at: string }
  | { readonly kind: 'lane'; readonly lane: string; readonly state: string; readonly at: string }
  | { readonly kind: 'observed'; readonly lane: string; readonly event: string; readonly at: string; readonly text: string }
  | { readonly kind: 'request'; readonly lane: string; readonly at: string; readonly model: string | null; readonly status: number; readonly refused: string | null }
  | {
      readonly kind: 'verdict';
      readonly status: string;
      readonly statement: string;
      readonly reasons: readonly string[];
      readonly report: string | null;
      readonly at: string;
    };

const SUPERVISOR_ID = 'superviseLanes';
const LANE_ID = /^lane-(\w+)$/;
const MAX_TEXT = 300;

function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, inner]) => `${key}.${stateName(inner)}`)
      .join(',');
  }
  return String(value);
}

type Text = (value: unknown) => string;

// Redacted before it is clipped: a clip first could cut a secret into a piece the redactor no
// longer knows.
function textOf(redact: (text: string) => string): Text {
  return (value) =>
    redact(String(value ?? ''))
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .slice(0, MAX_TEXT);
}

type Fields = Record<string, unknown>;

// What a person reads beside each observed event.
function describe(event: Fields, text: Text): string {
  switch (event['type']) {
    case 'case.spawn_line': {
      const line = (event['line'] ?? {}) as Fields;
      return `spawning ${text(line['agent'])} on ${text(line['provider'])}/${text(line['model'])}`;
    }
    case 'proxy.model_request':
      return `${text(event['model'] ?? '(no model)')} → ${text(event['status'])}${event['refused'] ? ` refused: ${text(event['refused'])}` : ''}`;
    case 'proxy.egress_attempt':
      return `egress attempt to ${text(event['host'])}:${text(event['port'])}`;
    case 'case.exited':
    case 'case.timed_out':
    case 'case.killed': {
      const end = (event['end'] ?? {}) as Fields;
      return `exit ${text(end['exitCode'] ?? end['signal'] ?? 'unknown')}`;
    }
    case 'case.failed':
    case 'checks.failed':
      return text(event['error']);
    case 'checks.pipeline_end':
      return `pipeline_end ${text(event['outcome'])}`;
    default:
      return '';
  }
}

// A translator keeps the last state it reported for each actor: XState reports a snapshot on
// every event, and the view wants each change once.
export function createWatchTranslator(redact: (text: string) => string): (event: InspectionEvent) => WatchEvent[] {
  const text = textOf(redact);
  const last = new Map<string, string>();
  return (inspected) => {
    const at = new Date().toISOString();
    const ref: object = inspected.actorRef;
    const id = 'id' in ref && typeof ref.id === 'string' ? ref.id : '';
    if (inspected.type === '@xstate.snapshot') {
      const value = (inspected.snapshot as { value?: unknown }).value;
      if (value === undefined) return [];
      const state = stateName(value);
      const key = inspected.actorRef.sessionId;
      if (last.get(key) === state) return [];
      last.set(key, state);
      if (inspected.actorRef.sessionId === inspected.rootId) return [{ kind: 'route', state, at }];
      if (id === SUPERVISOR_ID) return [{ kind: 'supervisor', state, at }];
      const lane = LANE_ID.exec(id)?.[1];
      return lane ? [{ kind: 'lane', lane, state, at }] : [];
    }
    if (inspected.type === '@xstate.event') {
      const lane = LANE_ID.exec(id)?.[1];
      const event = inspected.event as Fields;
      if (!lane || typeof event['at'] !== 'string') return [];
      const observed: WatchEvent = { kind: 'observed', lane, event: text(event['type']), at: event['at'], text: describe(event, text) };
      if (event['type'] !== 'proxy.model_request') return [observed];
      const status = typeof event['status'] === 'number' ? event['status'] : 0;
      const model = typeof event['model'] === 'string' ? text(event['model']) : null;
      const refused = typeof event['refused'] === 'string' ? text(event['refused']) : null;
      return [observed, { kind: 'request', lane, at: event['at'], model, status, refused }];
    }
    return [];
  };
}
