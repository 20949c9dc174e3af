import { esc } from './html-escape.js';
import type { Report } from './report-schema.js';

// The replay lane's comparison with the run it replayed, for report.html; empty on other lanes.
// Every value here came from a recorded run: each goes through esc.
export function replaySection(report: Report): string {
  const { replay } = report;
  if (replay === null) return '';
  const side = (label: string, s: NonNullable<Report['replay']>['recorded']) =>
    `<tr><th scope="row">${esc(label)}</th><td>${s.stage2_passed ? 'passed' : 'failed'}</td><td>${esc(s.agents.join(', ') || 'none')}</td><td>${esc(s.requests)}</td></tr>`;
  const first = replay.first_divergence;
  const verdict =
    replay.differences.length === 0
      ? '<p>The replay matched the recording.</p>'
      : `<p><strong>Diverged</strong>${first ? ` first at request ${esc(first.request)} (${esc(first.agent ?? '(no agent)')} turn ${esc(first.turn)}), <code>${esc(first.path)}</code>: ${esc(first.detail)}` : ''}</p><ul>${replay.differences.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`;
  return `<section id="replay"><h2>Replay of run <code>${esc(replay.from_run_id)}</code> (${esc(replay.recorded_lane)} lane)</h2>
<table><thead><tr><th></th><th scope="col">Stage 2</th><th scope="col">agents</th><th scope="col">requests</th></tr></thead><tbody>
${side('recorded', replay.recorded)}
${side('replayed', replay.replayed)}
</tbody></table>
${verdict}</section>`;
}
