import { NOT_EVIDENCE_REASONS, type NotEvidenceReason } from './verdict-reasons.js';
import type { Claim, Report } from './report-schema.js';

// Everything a report says but what it claims: the claim is derived from the rest, here alone,
// so `verify` can derive it again from an attested report and refuse one that says more.
export type ReportDraft = Omit<Report, 'claim'>;

function reasonsOf(report: ReportDraft): Claim['not_evidence_because'] {
  const reasons: Claim['not_evidence_because'] = [];
  const add = (reason: NotEvidenceReason, detail: string) => reasons.push({ reason, detail });
  const primary = report.lanes.find((lane) => lane.role === 'primary');
  if (report.status === 'blocked') add('blocked', `${report.blocked_reason ?? 'route_error'}: ${report.blocked_detail ?? ''}`);
  if (report.status === 'aborted') add('aborted', `aborted in ${report.final_state}`);
  if (report.status === 'fail') add('failed', report.fail_reasons.map((f) => f.reason).join(', '));
  // A pass is only as good as the primary lane's own verdicts, whatever the status field says.
  if (report.status === 'pass' && !(primary?.stage2.passed && primary.no_fallback.verdict && report.no_fallback.verdict)) {
    add('failed', 'the primary lane did not pass Stage 2 with no fallback proven');
  }
  if (report.lane === 'fake' || (report.lane === 'replay' && primary?.case_command === null)) add('fake_lane', NOT_EVIDENCE_REASONS.fake_lane);
  if (report.lane === 'replay') {
    add('replay', `the replay lane: the model's answers were replayed from run ${report.replay?.from_run_id ?? '(unknown)'}`);
  } else if (report.preflight?.server_kind === 'scripted') {
    add('replay', "the model server is case-local-route's scripted provider: its answers come from a model script");
  }
  if (report.lane === 'real' && report.case_process_started && report.baseline_comparison?.baseline_passed !== true) {
    add('no_baseline_pass', NOT_EVIDENCE_REASONS.no_baseline_pass);
  }
  if (primary && primary.isolation.mode !== 'namespaces') add('no_isolation', `${primary.lane} lane: ${primary.isolation.detail}`);
  return reasons;
}

function commandNames(files: Claim['case_command']): string {
  return files && files.length > 0 ? files.map((file) => file.name).join(' + ') : 'an unidentified command';
}

function statementOf(report: ReportDraft, claim: Omit<Claim, 'statement'>): string {
  const workId = claim.work_item.work_id;
  const has = (reason: NotEvidenceReason) => claim.not_evidence_because.some((r) => r.reason === reason);
  const stays = workId === null ? 'no decision record was read, so it speaks for no work item' : `${workId} stays blocked`;
  switch (claim.stage2_evidence) {
    case 'real':
      return `real Stage 2 pass evidence for ${workId}: Case command ${commandNames(claim.case_command)} passed on the real lane, isolated, beside a passing fake baseline; this run admits nothing and changes no status`;
    case 'route_validation': {
      // The fake lane is never Stage 2 evidence, whatever else holds: its other reasons stay in the list.
      const how = has('fake_lane')
        ? ''
        : [has('replay') ? (report.lane === 'replay' ? 'against a recorded run' : 'against a scripted model') : '', has('no_isolation') ? 'without isolation' : '', has('no_baseline_pass') ? 'without a passing baseline' : '']
            .filter(Boolean)
            .join(', ');
      return `route validated on the ${report.lane} lane${how ? ` ${how}` : ''} — not Stage 2 evidence; ${stays}`;
    }
    case 'none': {
      const what = has('blocked') ? 'Case was not started' : has('aborted') ? 'the run was aborted' : 'Case ran and the run did not pass';
      return `${what} — not Stage 2 evidence; ${stays}`;
    }
  }
}

// What this run is evidence of. `real` needs a pass on the real lane with no reason against it:
// the baseline passed in the same run, the primary lane was isolated, and the model server was not
// a replay. Which program the Case command is cannot be proven; the claim names its files.
export function claimOf(report: ReportDraft): Claim {
  const not_evidence_because = reasonsOf(report);
  const pass = report.status === 'pass' && !not_evidence_because.some((r) => r.reason === 'failed');
  const stage2_evidence = not_evidence_because.length === 0 ? 'real' : pass ? 'route_validation' : 'none';
  const claim: Omit<Claim, 'statement'> = {
    stage2_evidence,
    work_item: { work_id: report.decision_ref?.work_id ?? null, real_pass_evidence: stage2_evidence === 'real' },
    not_evidence_because,
    case_command: report.lanes.find((lane) => lane.role === 'primary')?.case_command ?? null,
  };
  return { ...claim, statement: statementOf(report, claim) };
}

// The claim goes right after the status in report.json, where a reader looks first.
export function withClaim(draft: ReportDraft): Report {
  const { schema_version, run_id, status, ...rest } = draft;
  return { schema_version, run_id, status, claim: claimOf(draft), ...rest };
}
