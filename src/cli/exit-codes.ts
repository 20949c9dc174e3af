import type { Report } from '../report/report-schema.js';
import type { RouteValidation } from '../run/route-api.js';

export const EXIT = { pass: 0, fail: 1, blocked: 2, usage: 64, aborted: 130 } as const;

export function exitCodeFor(status: Report['status']): number {
  return EXIT[status];
}

// `ready` is validate's pass; blocked and aborted exit as a run that ended so would.
export function exitCodeForValidation(status: RouteValidation['status']): number {
  return status === 'ready' ? EXIT.pass : EXIT[status];
}
