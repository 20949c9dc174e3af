import { relative } from 'node:path';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printable, say } from '../output.js';

export async function fixtureCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } }, true);
  const [action, runDir, name, ...extra] = positionals;
  if (action !== 'from-run') throw new UsageError(action === undefined ? 'fixture needs an action: from-run RUN_DIR NAME' : `unknown fixture action "${action}"; the one there is: from-run`);
  if (runDir === undefined || name === undefined || extra.length > 0) throw new UsageError('fixture from-run takes RUN_DIR and NAME');
  const { fixtureFromRun, FixtureFromRunError } = await import('../../replay/fixture-from-run.js');
  const { RecordingError } = await import('../../replay/recording.js');
  const { ScriptError } = await import('../../replay/script-from-transcript.js');
  try {
    const made = await fixtureFromRun(runDir, name, values.out, process.cwd());
    say(`fixture ${name}: ${relative(process.cwd(), made.dir) || '.'} (model script turns: ${Object.entries(made.roles).map(([role, turns]) => `${role} ${turns}`).join(', ')})`);
    return EXIT.pass;
  } catch (error) {
    if (error instanceof FixtureFromRunError || error instanceof RecordingError || error instanceof ScriptError) {
      say(printable(`fixture from-run: ${error.message}`));
      return EXIT.fail;
    }
    throw error;
  }
}
