import { block, PASS, type GateResult } from './gate-result.js';

// What preparing the lanes observed, before any lane process exists. Each check is data so the
// machine decides, in a named guard, whether Case may start.
export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

export interface LaneSetupFacts {
  readonly fixture: Check & { readonly name: string; readonly tree_sha256: string | null };
  readonly caseCommand: Check;
  readonly isolation: Check;
  readonly adapter: Check;
  readonly admissionSha256: string | null;
}

export function fixtureIsArtificialCopy(facts: LaneSetupFacts): GateResult {
  return facts.fixture.ok ? PASS : block('fixture_invalid', facts.fixture.detail);
}

export function caseCommandIsExecutable(facts: LaneSetupFacts): GateResult {
  return facts.caseCommand.ok ? PASS : block('case_command_missing', facts.caseCommand.detail);
}

// With --isolation required (the default), a lane that cannot be sealed in its own namespaces
// does not start.
export function laneIsolationAvailable(facts: LaneSetupFacts): GateResult {
  return facts.isolation.ok ? PASS : block('isolation_unavailable', facts.isolation.detail);
}

// A generated config that Case would read differently from what was meant is a silent fallback.
export function adapterPinsAdmittedModel(facts: LaneSetupFacts): GateResult {
  return facts.adapter.ok ? PASS : block('external_fallback_configured', facts.adapter.detail);
}

export function admissionUnchangedSinceCheck(facts: LaneSetupFacts, checkedSha256: string | undefined): GateResult {
  return facts.admissionSha256 !== null && facts.admissionSha256 === checkedSha256
    ? PASS
    : block('admission_changed', 'the admission file changed after it was checked');
}
