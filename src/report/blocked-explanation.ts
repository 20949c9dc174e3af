import { BLOCK_FIXES } from '../gates/fixes.js';
import { BLOCK_REASONS, type BlockReason } from '../gates/reasons.js';
import { routeGraph } from '../graph/route-graph.js';
import { runPathOf } from '../graph/run-path.js';
import { stepLabel } from '../graph/step-labels.js';
import type { Report } from './report-schema.js';

// A blocked run in words: where it stopped (the step, read as what was being checked), which gate,
// what that gate expected, what it found, and how to get past it.
export interface BlockedExplanation {
  readonly step: string;
  readonly state: string;
  readonly gate: string | null;
  readonly reason: BlockReason;
  readonly meaning: string;
  readonly expected: string;
  readonly found: string;
  readonly fix: string;
}

function isBlockReason(code: string): code is BlockReason {
  return Object.hasOwn(BLOCK_REASONS, code);
}

export function explainBlocked(report: Report): BlockedExplanation | null {
  if (report.status !== 'blocked') return null;
  const reason = report.blocked_reason !== null && isBlockReason(report.blocked_reason) ? report.blocked_reason : 'route_error';
  // Where it stopped is read as the diagram reads it, so the words and the drawing agree.
  const blocked = runPathOf(routeGraph(), report).blocked;
  const state = blocked?.state ?? report.final_state;
  return {
    step: stepLabel(state),
    state,
    gate: blocked?.gate ?? null,
    reason,
    meaning: BLOCK_REASONS[reason],
    expected: BLOCK_FIXES[reason].expected,
    found: report.blocked_detail ?? BLOCK_REASONS[reason],
    fix: BLOCK_FIXES[reason].fix,
  };
}

// The same, as the lines the CLI prints after the verdict.
export function blockedLines(explanation: BlockedExplanation): string[] {
  const where = explanation.gate ? `the gate ${explanation.gate}` : 'a step that failed';
  return [
    `blocked while ${explanation.step}, by ${where}`,
    `expected: ${explanation.expected}`,
    `found: ${explanation.found}`,
    `fix: ${explanation.fix}`,
  ];
}
