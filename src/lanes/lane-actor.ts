import { fromCallback } from 'xstate';
import type { CheckInput, LaneInput, ObservedEvent, StopEvent } from '../../machines/lane.machine.js';
import type { Redactor } from '../evidence/redact.js';
import type { PreparedLane } from './prepare-lanes.js';

export interface LaneActorOptions {
  // The lanes the route prepared; read when a lane starts.
  readonly lanes: () => readonly PreparedLane[];
  readonly redactor: Redactor;
  readonly artifactsDir: string;
  readonly harnessPath: string;
}

export interface LaneActors {
  // The lane machine's actors: every lane's I/O is here, the machine only orders it.
  readonly actors: {
    readonly watchProxies: ReturnType<typeof fromCallback<StopEvent, LaneInput>>;
    readonly runCase: ReturnType<typeof fromCallback<StopEvent, LaneInput>>;
    readonly checkLane: ReturnType<typeof fromCallback<StopEvent, CheckInput>>;
  };
  // Resolves once no lane I/O is under way: every process gone, every artifact written, even
  // when the actors were stopped from outside.
  settled(): Promise<void>;
}

const now = () => new Date().toISOString();

function errorText(error: unknown): string {
  return String((error as Error | undefined)?.message ?? error);
}

export function laneActors(options: LaneActorOptions): LaneActors {
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const find = (name: string): PreparedLane => {
    const lane = options.lanes().find((candidate) => candidate.name === name);
    if (!lane) throw new Error(`no prepared lane named ${name}`);
    return lane;
  };
  // The I/O modules (execa and the evidence readers with it) load only when a lane starts, so
  // `validate` and blocked runs do not pay for them.
  const io = () => import('./run-lane.js');

  const watchProxies = fromCallback<StopEvent, LaneInput>(({ input, sendBack }) => {
    const lane = find(input.lane);
    const send = (event: ObservedEvent) => sendBack(event);
    lane.watchProxies({
      modelRequest: (entry) => send({ type: 'proxy.model_request', at: now(), model: entry.model, status: entry.status, refused: entry.refused }),
      egressAttempt: (attempt) => send({ type: 'proxy.egress_attempt', at: now(), host: attempt.host, port: attempt.port }),
    });
    return () => lane.watchProxies(undefined);
  });

  const runCase = fromCallback<StopEvent, LaneInput>(({ input, sendBack, receive }) => {
    const lane = find(input.lane);
    const stop = new AbortController();
    let reason: StopEvent['reason'] | undefined;
    receive((event) => {
      reason ??= event.reason;
      stop.abort();
    });
    const send = (event: ObservedEvent) => sendBack(event);
    track(
      io()
        .then(({ runLaneProcess }) =>
          runLaneProcess(lane, stop.signal, {
            onStart: () => send({ type: 'case.started', at: now() }),
            onSpawnLine: (line) => send({ type: 'case.spawn_line', at: now(), line }),
          }),
        )
        .then((run) => {
          // The first reason to end sticks: a stop asked for before the process was gone is how
          // it ended, whatever its exit status says.
          const end = { ...run, timedOut: run.aborted && reason === 'deadline' };
          const type = end.timedOut ? 'case.timed_out' : run.aborted || run.truncated ? 'case.killed' : 'case.exited';
          send({ type, at: now(), end });
        })
        .catch((error: unknown) => send({ type: 'case.failed', at: now(), error: errorText(error) })),
    );
    // Stopped from outside (the route actor stopped): the process tree goes too.
    return () => stop.abort();
  });

  const checkLane = fromCallback<StopEvent, CheckInput>(({ input, sendBack, receive }) => {
    const lane = find(input.lane);
    const abort = new AbortController();
    if (input.aborted) abort.abort();
    receive(() => abort.abort());
    const send = (event: ObservedEvent) => sendBack(event);
    track(
      io()
        .then(({ checkLane: check }) =>
          check(
            lane,
            input.end,
            { signal: abort.signal, redactor: options.redactor, artifactsDir: options.artifactsDir, harnessPath: options.harnessPath },
            { onPipelineEnd: (outcome) => send({ type: 'checks.pipeline_end', at: now(), outcome }) },
          ),
        )
        .then((evidence) => send({ type: 'checks.done', at: now(), evidence }))
        .catch((error: unknown) => send({ type: 'checks.failed', at: now(), error: errorText(error) })),
    );
    return () => abort.abort();
  });

  return {
    actors: { watchProxies, runCase, checkLane },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
