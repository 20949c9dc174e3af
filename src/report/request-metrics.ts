import { z } from 'zod';
import { requestAgent, spawnsSeen } from '../evidence/request-agents.js';
import type { LaneEvidence } from '../lanes/lane-types.js';

// A lane's model requests one by one, their totals, a breakdown per Case agent, and the speed of
// the model as Case used it: all read from the recording proxy's audit (src/proxy/usage-tap.ts).

const RequestRowSchema = z.object({
  time: z.string(),
  agent: z.string().nullable(),
  agent_basis: z.enum(['case_events', 'spawn_line']).nullable(),
  method: z.string(),
  path: z.string(),
  model: z.string().nullable(),
  status: z.number(),
  refused: z.string().nullable(),
  streamed: z.boolean(),
  latency_ms: z.number(),
  ttft_ms: z.number().nullable(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
  tokens_per_second: z.number().nullable(),
  tokens_per_second_source: z.enum(['server', 'proxy']).nullable(),
});

const UsageSumSchema = z.object({
  requests: z.number(),
  requests_with_usage: z.number(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
  tokens_per_second: z.number().nullable(),
  median_ttft_ms: z.number().nullable(),
});

export const LaneMetricsSchema = z.object({
  requests: z.array(RequestRowSchema),
  totals: UsageSumSchema.extend({ latency_ms: z.number() }),
  by_agent: z.array(UsageSumSchema.extend({ agent: z.string().nullable() })),
  throughput: z.object({
    tokens_per_second: z.number().nullable(),
    median_ttft_ms: z.number().nullable(),
    requests_measured: z.number(),
  }),
});

export type RequestRow = z.infer<typeof RequestRowSchema>;
export type LaneMetrics = z.infer<typeof LaneMetricsSchema>;

const tenths = (value: number): number => Math.round(value * 10) / 10;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return tenths(sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2);
}

const sum = (values: ReadonlyArray<number | null>): number | null => {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
};

// Answers of the model itself: completions the server answered with success.
const isCompletion = (row: RequestRow): boolean => row.refused === null && row.path.endsWith('/chat/completions') && row.status >= 200 && row.status < 300;

// Tokens per second over many answers: all their completion tokens over all the time spent
// producing them (each answer's tokens over its own speed), so a long answer weighs more than a
// short one, as it did in the lane's wall time.
function overallSpeed(rows: readonly RequestRow[]): { tokens_per_second: number | null; measured: number } {
  const timed = rows.filter((row) => row.tokens_per_second !== null && row.tokens_per_second > 0 && (row.completion_tokens ?? 0) > 0);
  const tokens = timed.reduce((total, row) => total + row.completion_tokens!, 0);
  const seconds = timed.reduce((total, row) => total + row.completion_tokens! / row.tokens_per_second!, 0);
  return { tokens_per_second: seconds > 0 ? tenths(tokens / seconds) : null, measured: timed.length };
}

function usageSum(rows: readonly RequestRow[]): z.infer<typeof UsageSumSchema> {
  const completions = rows.filter(isCompletion);
  return {
    requests: rows.length,
    requests_with_usage: rows.filter((row) => row.prompt_tokens !== null || row.completion_tokens !== null).length,
    prompt_tokens: sum(rows.map((row) => row.prompt_tokens)),
    completion_tokens: sum(rows.map((row) => row.completion_tokens)),
    tokens_per_second: overallSpeed(completions).tokens_per_second,
    median_ttft_ms: median(completions.flatMap((row) => (row.ttft_ms === null ? [] : [row.ttft_ms]))),
  };
}

export function laneMetrics(lane: Pick<LaneEvidence, 'requests' | 'phases' | 'timeline' | 'spawn_lines'>): LaneMetrics {
  const spawns = spawnsSeen(lane.timeline, lane.spawn_lines);
  const requests: RequestRow[] = lane.requests.map((r) => ({
    time: r.time,
    ...requestAgent(r.time, lane.phases, spawns),
    method: r.method,
    path: r.path,
    model: r.model,
    status: r.status,
    refused: r.refused,
    streamed: r.streamed,
    latency_ms: r.latency_ms,
    ttft_ms: r.ttft_ms,
    prompt_tokens: r.prompt_tokens,
    completion_tokens: r.completion_tokens,
    tokens_per_second: r.tokens_per_second,
    tokens_per_second_source: r.tokens_per_second_source,
  }));
  const agents = [...new Set(requests.map((row) => row.agent))];
  const completions = requests.filter(isCompletion);
  const speed = overallSpeed(completions);
  return {
    requests,
    totals: { ...usageSum(requests), latency_ms: requests.reduce((total, row) => total + row.latency_ms, 0) },
    by_agent: agents.map((agent) => ({ agent, ...usageSum(requests.filter((row) => row.agent === agent)) })),
    throughput: {
      tokens_per_second: speed.tokens_per_second,
      median_ttft_ms: median(completions.flatMap((row) => (row.ttft_ms === null ? [] : [row.ttft_ms]))),
      requests_measured: speed.measured,
    },
  };
}
