import { explainBlocked } from './blocked-explanation.js';
import { esc } from './html-escape.js';
import type { Report } from './report-schema.js';

// A blocked run in words, at the top of the page: the step, the gate, what it expected, what it
// found, and how to get past it.
export function blockedBlock(report: Report): string {
  const why = explainBlocked(report);
  if (!why) return '';
  return `<p id="blocked-reason"><strong>Blocked before Case started, while ${esc(why.step)}: <code>${esc(why.reason)}</code></strong></p>
<dl id="blocked-explanation">
<dt>gate</dt><dd id="blocked-gate">${why.gate ? `<code>${esc(why.gate)}</code>` : 'a step that failed instead of answering'} <span class="muted">(${esc(why.meaning)})</span></dd>
<dt>expected</dt><dd id="blocked-expected">${esc(why.expected)}</dd>
<dt>found</dt><dd id="blocked-detail">${esc(why.found)}</dd>
<dt>fix</dt><dd id="blocked-fix">${esc(why.fix)}</dd>
</dl>`;
}
