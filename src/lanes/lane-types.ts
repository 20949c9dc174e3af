import type { CasePhase } from '../evidence/case-phases.js';
import type { EvidenceProblem } from '../evidence/case-observations.js';
import type { FirstError } from '../evidence/first-error.js';
import type { EgressAttempt } from '../evidence/egress-log.js';
import type { LaneIsolation } from '../sandbox/isolation.js';
import type { AuditRecord } from '../evidence/proxy-audit.js';

export type LaneName = 'fake' | 'real' | 'replay';

// `fake` runs the fake lane alone; `real` runs real Case and the fake baseline side by side;
// `replay` runs Case alone against a recorded run's answers.
export function lanesFor(lane: LaneName): LaneName[] {
  return lane === 'real' ? ['real', 'fake'] : [lane];
}

// How a process tree ended (src/lanes/process-tree.ts).
export interface TreeRunResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  // An output stream reached its cap: the tail is not on disk, so the run proves nothing.
  readonly truncated: boolean;
  readonly durationMs: number;
}

// How the lane's process ended, as its watcher saw it: the facts the checks start from.
export interface LaneProcessEnd extends TreeRunResult {
  readonly startedAt: string;
}

// The harness's own acceptance check of a lane's copy of the fixture.
export interface AcceptanceResult {
  readonly ran: boolean;
  readonly passed: boolean;
  readonly exit_code: number | null;
  readonly detail: string;
  // What the check printed where it says what failed (the exercise's stderr, then the judge's
  // output), the last 2000 bytes of each.
  readonly output_tail: string;
}

export interface SpawnLine {
  readonly agent: string | null;
  readonly provider: string | null;
  readonly model: string | null;
}

// A file the Case command names (its program, and each absolute path among its arguments), by
// base name and content digest (null when it cannot be read): what ran, for a reader to compare
// with a known Case build.
export interface CommandFile {
  readonly name: string;
  readonly sha256: string | null;
}

export interface ModelMapping {
  readonly logical_provider: string;
  readonly case_provider_key: string;
  readonly model: string;
}

// The server a lane's requests went to: the admitted local server, or (for the baseline) the
// scripted provider the harness started for it.
export interface LaneUpstream {
  readonly source: 'admitted_server' | 'harness_scripted_provider' | 'harness_replay_provider';
  readonly base_url: string;
}

// Raw observations of one lane; the report module alone turns them into a verdict.
export interface LaneEvidence {
  readonly lane: LaneName;
  readonly role: 'primary' | 'baseline';
  readonly isolation: LaneIsolation;
  readonly fixture: { readonly name: string; readonly tree_sha256: string };
  readonly mapping: ModelMapping;
  // When the lane's process (its sandbox, when isolated) was started.
  readonly started_at: string;
  readonly upstream: LaneUpstream;
  readonly exit_code: number | null;
  readonly signal: string | null;
  readonly timed_out: boolean;
  readonly duration_ms: number;
  readonly requests: readonly AuditRecord[];
  readonly egress_attempts: readonly EgressAttempt[];
  readonly spawn_lines: readonly SpawnLine[];
  readonly pipeline_outcome: string | null;
  // Case's phases from its event logs (src/evidence/case-phases.ts): the report's timeline, and
  // which agent each request belongs to.
  readonly phases: readonly CasePhase[];
  // Whether the recording proxy kept the lane's model exchanges (off with --no-transcript).
  readonly transcript_kept: boolean;
  readonly acceptance: AcceptanceResult;
  // Evidence that could not be read whole or in its required shape; any one fails the run.
  readonly evidence_problems: readonly EvidenceProblem[];
  readonly pull_requests: number;
  readonly refused_gh_calls: number;
  // Commits are out of reach of redaction, so the lane's whole git history is scanned instead.
  readonly history_holds_secret: boolean;
  readonly served_after: { readonly checked: boolean; readonly still_served: boolean; readonly detail: string };
  // The configured Case command's files; null for the bundled fake Case.
  readonly case_command: readonly CommandFile[] | null;
  readonly first_error: FirstError | null;
  // What the lane's actor went through, as the inspector showed it (machines/lane.machine.ts).
  readonly timeline: readonly LaneTimelineEntry[];
}

export interface LaneTimelineEntry {
  readonly at: string;
  readonly event: string;
}

// A lane's evidence as its checks gather it; the lane's actor adds its timeline.
export type CheckedLane = Omit<LaneEvidence, 'timeline'>;

export interface LanesOutcome {
  readonly lanes: readonly LaneEvidence[];
  readonly error?: string;
}
