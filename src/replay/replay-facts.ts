// What the report compares a replay with, as plain data: the report module reads it without
// loading the replay provider.

// A request the replay refused: which one, and where it left the recording.
export interface ReplayDivergence {
  // 1-based, in the order the replay received its requests.
  readonly request: number;
  readonly agent: string | null;
  readonly turn: number;
  readonly path: string;
  readonly detail: string;
}

export interface ReplayFacts {
  readonly from_run_id: string;
  readonly recorded: { readonly lane: string; readonly stage2_passed: boolean; readonly agents: readonly string[]; readonly requests: number };
  readonly divergences: readonly ReplayDivergence[];
  // Recorded requests the replay never made, by their place in the recording.
  readonly not_made: ReadonlyArray<{ readonly request: number; readonly agent: string | null; readonly turn: number }>;
}
