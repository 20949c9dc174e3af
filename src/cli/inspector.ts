import { setTimeout as delay } from 'node:timers/promises';
import type { InspectionEvent } from 'xstate';
import type { PathLabel } from '../evidence/redact.js';
import { UsageError } from './args.js';
import { createLiveRedactor } from './live-redactor.js';

export interface RouteInspector {
  // What a person opens in a browser: the bridge page, which embeds the Stately inspector.
  readonly url: string;
  readonly inspect: (event: InspectionEvent) => void;
  stop(): Promise<void>;
}

// Inspection events carry the run's context and every step's input and output: file paths from
// the environment, the workspace, evidence. They leave this process redacted like any artifact.
const MAX_DEPTH = 12;

function jsonSafe(value: unknown): string {
  const ancestors: object[] = [];
  return JSON.stringify(value, function (this: unknown, _key, inner: unknown) {
    if (typeof inner !== 'object' || inner === null) return typeof inner === 'function' || typeof inner === 'bigint' ? undefined : inner;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(inner)) return '[Circular]';
    if (ancestors.length >= MAX_DEPTH) return '[Truncated]';
    ancestors.push(inner);
    return inner;
  });
}

// `paths` are the run's own places (its --out directory) to be named by label like the others.
export async function startInspector(port: number | undefined, paths: readonly PathLabel[]): Promise<RouteInspector> {
  const { createWebSocketInspector } = await import('@statelyai/inspect');
  const { startInspectorRelay } = await import('./inspector-relay.js');
  const redactor = createLiveRedactor(paths);
  let relay: Awaited<ReturnType<typeof startInspectorRelay>>;
  try {
    relay = await startInspectorRelay(port ?? 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EADDRINUSE' ? `--inspect-port ${port} is in use` : `--inspect-port ${port}: ${code ?? 'cannot listen'}`, { cause: error });
  }
  const inspector = createWebSocketInspector({
    url: relay.sourceUrl,
    serialize: (event) => JSON.parse(redactor.redact(jsonSafe(event))),
  });
  return {
    url: relay.pageUrl,
    inspect: (event) => inspector.inspect.next?.(event),
    async stop() {
      // The inspector sends each event on a later tick; let the last ones go out before closing.
      await delay(100);
      inspector.stop();
      await relay.stop();
    },
  };
}
