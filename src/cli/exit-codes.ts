import type { Report } from '../report/report-schema.js';

export const EXIT = { pass: 0, fail: 1, blocked: 2, usage: 64, aborted: 130 } as const;

export function exitCodeFor(status: Report['status']): number {
  return EXIT[status];
}
