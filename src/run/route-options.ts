import { DEFAULT_STAGE2_DEADLINE_MS } from '../../machines/supervisor.machine.js';
import type { Environment } from '../inputs/env-config.js';
import { z } from '../inputs/zod-mini.js';
import type { StateVisit } from '../report/project-report.js';

export const DEFAULT_FIXTURE = 'sum-bug';
export const DEFAULT_OUT_DIR = 'case-route-runs';
// Stage 2's deadline: every lane still running then is stopped (timed_out).
export const DEFAULT_TIMEOUT_MS = DEFAULT_STAGE2_DEADLINE_MS;

// Validated once on the way in, so nothing later sees raw options.
export const RouteOptionsSchema = z.object({
  lane: z._default(z.enum(['fake', 'real', 'replay']), 'fake'),
  // The replay lane's recorded run directory (--from).
  from: z.optional(z.string().check(z.minLength(1))),
  mode: z._default(z.enum(['run', 'validate']), 'run'),
  // Not checked here: a fixture that is not a plain name under examples/fixtures is a gate
  // failure (fixture_invalid) with a report, not a usage error. Unset: DEFAULT_FIXTURE, or the
  // recorded run's fixture on the replay lane.
  fixture: z.optional(z.string()),
  outDir: z._default(z.string().check(z.minLength(1)), DEFAULT_OUT_DIR),
  timeoutMs: z._default(z.int().check(z.positive()), DEFAULT_TIMEOUT_MS),
  keepWorkspace: z._default(z.boolean(), false),
  // Keep each lane's model exchanges in lanes/<lane>/transcript.jsonl (false: --no-transcript).
  transcript: z._default(z.boolean(), true),
  // `required`: every lane in its own namespaces, or the run blocks (isolation_unavailable).
  // `auto`: isolated where the kernel allows, else not, and the report says so. `off`: asked for.
  isolation: z._default(z.enum(['required', 'auto', 'off']), 'required'),
  cwd: z.optional(z.string()),
  env: z.optional(z.custom<Environment>((value) => value === undefined || (typeof value === 'object' && value !== null))),
  signal: z.optional(z.custom<AbortSignal>((value) => value === undefined || value instanceof AbortSignal)),
  onState: z.optional(z.custom<(visit: StateVisit) => void>((value) => value === undefined || typeof value === 'function')),
});

export type RouteOptions = z.input<typeof RouteOptionsSchema>;

// Options that fail their schema: the message names every bad field.
export class RouteOptionsError extends Error {
  override readonly name = 'RouteOptionsError';
}

export type ParsedRouteOptions = z.output<typeof RouteOptionsSchema>;

// The only place options are read: what comes out has its defaults filled in and has been checked.
export function parseRouteOptions(options: RouteOptions): ParsedRouteOptions {
  const parsed = z.safeParse(RouteOptionsSchema, options);
  if (!parsed.success) {
    throw new RouteOptionsError(parsed.error.issues.map((issue) => `option ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}
