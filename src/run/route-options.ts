import { z } from 'zod';
import type { StateVisit } from '../report/project-report.js';

export const DEFAULT_FIXTURE = 'sum-bug';
export const DEFAULT_OUT_DIR = 'case-route-runs';
export const DEFAULT_TIMEOUT_MS = 20 * 60 * 1000;

// Validated once on the way in, so nothing later sees raw options.
export const RouteOptionsSchema = z.object({
  lane: z.enum(['fake', 'real']).default('fake'),
  mode: z.enum(['run', 'validate']).default('run'),
  // Not checked here: a fixture that is not a plain name under examples/fixtures is a gate
  // failure (fixture_invalid) with a report, not a usage error.
  fixture: z.string().default(DEFAULT_FIXTURE),
  outDir: z.string().min(1).default(DEFAULT_OUT_DIR),
  timeoutMs: z.number().int().positive().default(DEFAULT_TIMEOUT_MS),
  keepWorkspace: z.boolean().default(false),
  cwd: z.string().optional(),
  env: z.custom<NodeJS.ProcessEnv>((value) => value === undefined || (typeof value === 'object' && value !== null)).optional(),
  signal: z.custom<AbortSignal>((value) => value === undefined || value instanceof AbortSignal).optional(),
  onState: z.custom<(visit: StateVisit) => void>((value) => value === undefined || typeof value === 'function').optional(),
});

export type RouteOptions = z.input<typeof RouteOptionsSchema>;
