import { caseEventRecords } from './case-observations.js';

// Case's phases (implement, review, close, retrospective...) as its event logs record them, for the
// report's timeline. Display only: the verdict reads pipeline_end alone. The logs are lane
// output, so every name must be a short word and every time must parse.
export interface CasePhase {
  readonly phase: string;
  readonly agent: string | null;
  readonly started_at: string;
  // null when the phase never ended (Case was killed in it).
  readonly ended_at: string | null;
  readonly outcome: string | null;
}

const MAX_PHASES = 64;

// A name that is not already a short word is dropped, never cut or stripped into one: the run's
// redactor matches a secret by its whole value, so a secret shortened here would pass it.
const WORD = /^[\w .:-]{1,40}$/;

function word(value: unknown): string | null {
  return typeof value === 'string' && WORD.test(value) ? value : null;
}

function time(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function casePhases(files: ReadonlyArray<{ readonly text: string }>): CasePhase[] {
  const phases: CasePhase[] = [];
  for (const event of caseEventRecords(files, 'phase_')) {
    const phase = word(event['phase']);
    const at = time(event['ts']);
    if (!phase || !at) continue;
    if (event['event'] === 'phase_start' && phases.length < MAX_PHASES) {
      phases.push({ phase, agent: word(event['agent']), started_at: at, ended_at: null, outcome: null });
    } else if (event['event'] === 'phase_end') {
      const open = [...phases].reverse().find((p) => p.phase === phase && p.ended_at === null);
      if (open) phases[phases.indexOf(open)] = { ...open, ended_at: at, outcome: word(event['outcome']) };
    }
  }
  return phases;
}
