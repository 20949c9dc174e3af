// Run every pre-start gate and nothing else, as a CI step before the real run: the decision
// record, the environment, the admission file, the local provider's preflight, the fixture, the
// Case command and the generated Case config. Case is never started and no report is written.
//
//   npm run build
//   node examples/gates-precheck.mjs [fake|real]
//
// Exit 0 when every gate passes, 2 when one blocks (its reason code is printed), 130 if aborted.
import { BLOCK_REASONS, GATE_NAMES, validateRoute } from 'case-local-route';

const result = await validateRoute({ lane: process.argv[2] ?? 'fake' });

if (result.status === 'ready') {
  console.log(`ready: all ${GATE_NAMES.length} pre-start gates passed (${result.states_visited.join(' -> ')})`);
  process.exitCode = 0;
} else if (result.blocked) {
  const { gate, reason, detail } = result.blocked;
  console.log(`blocked by ${gate}: ${reason}: ${detail}`);
  console.log(`  ${BLOCK_REASONS[reason]}`);
  process.exitCode = 2;
} else {
  console.log('aborted before every gate was checked');
  process.exitCode = 130;
}
