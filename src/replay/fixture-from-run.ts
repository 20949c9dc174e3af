import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FIXTURE_NAME, loadFixture } from '../fixture/fixture-manifest.js';
import { readFixtureTree } from '../fixture/fixture-tree.js';
import { FIXTURES_DIR } from '../paths.js';
import { loadRecording } from './recording.js';
import { scriptFromTranscript } from './script-from-transcript.js';

export class FixtureFromRunError extends Error {
  override readonly name = 'FixtureFromRunError';
}

export interface FixtureFromRun {
  readonly dir: string;
  readonly roles: Readonly<Record<string, number>>;
}

const SCRIPT_FILE = 'model-script.json';

// A recorded run as a fixture: the recorded fixture's files (manifest, task, repository, check)
// with a model script that answers as the recorded model did, so a real model's good run becomes
// a test that needs no model. Written into a new directory, never over an existing one.
export async function fixtureFromRun(runDir: string, name: string, outDir: string | undefined, cwd: string): Promise<FixtureFromRun> {
  if (!FIXTURE_NAME.test(name)) throw new FixtureFromRunError(`NAME "${name}" is not a fixture name (lower-case letters, digits and dashes)`);
  const recording = await loadRecording(resolve(cwd, runDir));
  if (!recording.stage2Passed) throw new FixtureFromRunError(`run ${recording.runId}: its ${recording.lane} lane did not pass Stage 2; only a good run becomes a fixture`);
  if (recording.fixture === null) throw new FixtureFromRunError(`run ${recording.runId}: its report names no fixture`);
  const source = await loadFixture(FIXTURES_DIR, recording.fixture);
  if (!source.ok) throw new FixtureFromRunError(`run ${recording.runId}: ${source.detail}`);
  const tree = await readFixtureTree(source.fixture.repoDir);
  if (!tree.ok) throw new FixtureFromRunError(`fixture "${recording.fixture}": ${tree.detail}`);
  const script = scriptFromTranscript(recording.exchanges);
  const manifest = {
    ...source.fixture.manifest,
    description: `${source.fixture.manifest.description} Model script from run ${recording.runId} (${recording.lane} lane).`,
    model_script: SCRIPT_FILE,
  };
  const dir = resolve(cwd, outDir ?? name);
  await mkdir(dirname(dir), { recursive: true });
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FixtureFromRunError(code === 'EEXIST' ? `${basename(dir)} already exists; a fixture is never written over anything` : `cannot create ${basename(dir)} (${code ?? 'error'})`);
  }
  try {
    await writeFile(join(dir, 'fixture.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(dir, manifest.task), source.fixture.taskText);
    await writeFile(join(dir, SCRIPT_FILE), `${JSON.stringify(script, null, 2)}\n`);
    for (const file of tree.files) {
      await mkdir(dirname(join(dir, 'repo', file.path)), { recursive: true });
      await writeFile(join(dir, 'repo', file.path), file.bytes);
    }
  } catch (error) {
    // Nothing half-written is left behind.
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, roles: Object.fromEntries(Object.entries(script.roles).map(([role, turns]) => [role, turns.length])) };
}
