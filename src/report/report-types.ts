import type { Report } from './report-schema.js';

// What the machine keeps once the report is on disk: enough to print a summary and exit.
export interface EmittedReport {
  readonly status: Report['status'];
  readonly file: string;
  readonly run_id: string;
}
