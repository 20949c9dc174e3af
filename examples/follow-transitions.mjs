// Drive the route machine from your own script and follow each transition it takes, with the
// event that caused it. Start here when a harness must react to the route while it runs (a
// dashboard, a log shipper, a custom gate report).
//
//   npm run build
//   node examples/follow-transitions.mjs [OUT_DIR]
//
// It reads the same CTO_HARNESS_CASE_* environment as `case-route run` and exits like it:
// 0 pass, 1 fail, 2 blocked, 130 aborted.
import { createRouteActor } from 'case-local-route';

const EXIT = { pass: 0, fail: 1, blocked: 2, aborted: 130 };
let previous;

// An inspection observer sees every snapshot together with the event that produced it; only the
// route's own snapshots are followed here, not those of the steps it invokes.
const run = await createRouteActor({ outDir: process.argv[2] ?? 'case-route-runs' }, (inspection) => {
  if (inspection.type !== '@xstate.snapshot' || inspection.actorRef.sessionId !== inspection.rootId) return;
  const state = String(inspection.snapshot.value);
  if (state === previous) return;
  console.log(previous ? `${previous} -> ${state}  on ${inspection.event.type}` : `start in ${state}`);
  previous = state;
});

const abort = () => run.actor.send({ type: 'ABORT' });
process.once('SIGINT', abort);
run.actor.start();
const { report, finalState, context } = await run.done;
process.off('SIGINT', abort);

if (context.blocked) console.log(`blocked by ${context.blocked.gate}: ${context.blocked.reason}: ${context.blocked.detail}`);
if (!report) {
  console.log(`ended in ${finalState} without a report`);
  process.exitCode = 1;
} else {
  // The status says whether the route held; the claim says what the run is evidence of.
  console.log(`${report.status}: run ${report.run_id}, no_fallback ${report.no_fallback.verdict}: ${report.claim.statement}`);
  process.exitCode = EXIT[report.status];
}
