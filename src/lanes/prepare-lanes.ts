import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { buildChildEnv } from '../adapter/child-env.js';
import { CASE_PROVIDER_KEY } from '../adapter/case-config.js';
import { makeLaneDirs, type LaneDirs } from '../adapter/lane-dirs.js';
import { checkAdapter, taskFile, writeAdapter } from '../adapter/write-adapter.js';
import { copyFixtureInto, WORK_BRANCH } from '../fixture/copy-fixture.js';
import { loadFixture, type Fixture } from '../fixture/fixture-manifest.js';
import { readFixtureTree } from '../fixture/fixture-tree.js';
import type { Check, LaneSetupFacts } from '../gates/lane-setup-gates.js';
import type { Admission } from '../inputs/admission.js';
import type { EnvConfig } from '../inputs/env-config.js';
import { sha256Hex } from '../inputs/json-input.js';
import { DIST_SRC, FIXTURES_DIR } from '../paths.js';
import { startEgressDenyProxy } from '../provider/egress-proxy.js';
import { startRecordingProxy } from '../provider/recording-proxy.js';
import { startScriptedProvider } from '../provider/scripted-provider.js';
import type { Workspace } from '../run/workspace.js';
import type { Redactor } from '../evidence/redact.js';
import type { TreeFile } from '../fixture/fixture-tree.js';
import { identifyCommand, resolveCaseCommand } from './case-command.js';
import { lanesFor, type CommandFile, type LaneName, type ModelMapping } from './lane-types.js';

export interface PreparedLane {
  readonly name: LaneName;
  readonly role: 'primary' | 'baseline';
  readonly dirs: LaneDirs;
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
  readonly slug: string;
  readonly upstream: string;
  readonly upstreamApiKey: string | undefined;
  readonly fixture: Fixture;
  readonly treeSha256: string;
  readonly mapping: ModelMapping;
  readonly auditFile: string;
  readonly egressFile: string;
  // The configured Case command's files, digested while the lane runs (a large binary takes most
  // of a second); null for the bundled fake Case.
  readonly caseCommand: Promise<readonly CommandFile[]> | null;
  // Closes the lane's recording and egress proxies once its processes are gone; the workspace
  // closes them too, for a lane that never ran.
  stopRecorders(): Promise<void>;
}

export interface PrepareLanesArgs {
  readonly workspace: Workspace;
  readonly lane: LaneName;
  readonly fixtureName: string;
  readonly admission: Admission;
  readonly config: EnvConfig;
  readonly parentEnv: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly redactor: Redactor;
}

const NOT_CHECKED: Check = { ok: false, detail: 'not checked: an earlier lane setup check failed' };

const FAKE_CASE_ARGV = [process.execPath, join(DIST_SRC, 'lanes', 'fake-case', 'main.js')];

async function hashFile(path: string | undefined): Promise<string | null> {
  if (!path) return null;
  try {
    return sha256Hex(await readFile(path));
  } catch {
    return null;
  }
}

// A secret in a fixture would be copied into every lane's git history, out of reach of redaction.
function firstSecretBearing(files: readonly TreeFile[], redactor: Redactor): string | undefined {
  return files.find((file) => redactor.scan(file.bytes.toString('utf8')).secret)?.path;
}

// Sets up every lane before anything is started: fixture copy, proxies, generated Case config and
// child environment, each read back. The machine then decides from the facts whether Case may run.
export async function prepareLanes(args: PrepareLanesArgs): Promise<{ facts: LaneSetupFacts; lanes: PreparedLane[] }> {
  const { workspace, admission, config } = args;
  const loaded = await loadFixture(FIXTURES_DIR, args.fixtureName);
  const tree = loaded.ok ? await readFixtureTree(loaded.fixture.repoDir) : undefined;
  if (!loaded.ok || !tree?.ok) {
    const detail = !loaded.ok ? loaded.detail : `fixture "${args.fixtureName}": ${tree && !tree.ok ? tree.detail : 'unreadable'}`;
    return {
      facts: { fixture: { ok: false, detail, name: args.fixtureName, tree_sha256: null }, caseCommand: NOT_CHECKED, adapter: NOT_CHECKED, admissionSha256: null },
      lanes: [],
    };
  }
  const leaking = firstSecretBearing(tree.files, args.redactor);
  if (leaking) {
    const detail = `fixture "${args.fixtureName}": ${leaking} holds a secret-shaped value; fixtures are artificial`;
    return {
      facts: { fixture: { ok: false, detail, name: args.fixtureName, tree_sha256: tree.sha256 }, caseCommand: NOT_CHECKED, adapter: NOT_CHECKED, admissionSha256: null },
      lanes: [],
    };
  }
  const fixture = loaded.fixture;
  const fixtureFacts = { ok: true, detail: 'copied into a fresh git repository', name: fixture.name, tree_sha256: tree.sha256 };

  const real = args.lane === 'real' ? await resolveCaseCommand(config.caseCommand, args.parentEnv.PATH ?? '', args.cwd) : undefined;
  if (real && !real.ok) {
    return { facts: { fixture: fixtureFacts, caseCommand: { ok: false, detail: real.detail }, adapter: NOT_CHECKED, admissionSha256: null }, lanes: [] };
  }

  // Lanes are independent (own fixture copy, proxies, config), so they are prepared side by side.
  // Every lane settles before a failure is thrown, so nothing registers for cleanup after it ran.
  const settled = await Promise.allSettled(
    lanesFor(args.lane).map((name) => prepareLane(name, args, fixture, tree.files, tree.sha256, real?.argv ?? FAKE_CASE_ARGV)),
  );
  const prepared = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  const lanes = prepared.map((p) => p.lane);
  const adapterProblems = prepared.flatMap((p) => (p.check.ok ? [] : [`${p.lane.name} lane: ${p.check.detail}`]));
  const facts: LaneSetupFacts = {
    fixture: fixtureFacts,
    caseCommand: real ? { ok: real.ok, detail: real.detail } : { ok: true, detail: 'the fake lane runs the bundled fake Case' },
    adapter: adapterProblems.length === 0 ? { ok: true, detail: 'generated Case config read back and pinned' } : { ok: false, detail: adapterProblems.join('; ') },
    admissionSha256: await hashFile(config.admissionFile),
  };
  return { facts, lanes };
}

async function prepareLane(
  name: LaneName,
  args: PrepareLanesArgs,
  fixture: Fixture,
  files: readonly TreeFile[],
  treeSha256: string,
  realArgv: readonly string[],
): Promise<{ lane: PreparedLane; check: Check }> {
  const { workspace, admission, config } = args;
  const role = name === args.lane ? 'primary' : 'baseline';
  const dirs = await makeLaneDirs(join(await workspace.ensure(), 'lanes', name));
  await copyFixtureInto(dirs.repo, files);
  let upstream = config.baseUrl!.trim();
  let upstreamApiKey = config.apiKey || undefined;
  if (role === 'baseline') {
    // The baseline measures the harness, not the model: its own scripted provider on loopback.
    const provider = await startScriptedProvider({ model: admission.model, script: fixture.script });
    workspace.defer(() => provider.close());
    upstream = provider.url;
    upstreamApiKey = undefined;
  }
  const laneToken = `case-route-lane-${nanoid(32)}`;
  const auditFile = join(dirs.logs, 'proxy-audit.jsonl');
  const egressFile = join(dirs.logs, 'egress.jsonl');
  const egress = await startEgressDenyProxy({ logFile: egressFile });
  workspace.defer(() => egress.close());
  const proxy = await startRecordingProxy({ upstream, admittedModel: admission.model, laneToken, upstreamApiKey, auditFile });
  workspace.defer(() => proxy.close());
  const env = buildChildEnv(args.parentEnv, { dirs, laneToken, recordingProxyPort: proxy.port, egressProxyUrl: egress.url });
  const caseArgv = name === 'real' ? realArgv : FAKE_CASE_ARGV;
  const slug = `${fixture.name}-stage2`;
  const spec = {
    dirs,
    model: admission.model,
    proxyBaseUrl: proxy.url,
    repoName: fixture.name,
    slug,
    branch: WORK_BRANCH,
    taskText: fixture.taskText,
    testCommand: fixture.manifest.acceptance.join(' '),
    ghStandin: { node: process.execPath, script: join(DIST_SRC, 'adapter', 'gh-standin.js') },
    caseCommand: caseArgv,
  };
  await writeAdapter(spec);
  const check = await checkAdapter(spec, env, laneToken);
  const lane: PreparedLane = {
    name,
    role,
    dirs,
    env,
    argv: [...caseArgv, 'run', '--task', taskFile(spec), '--mode', 'unattended'],
    slug,
    upstream,
    upstreamApiKey,
    fixture,
    treeSha256,
    mapping: { logical_provider: admission.provider, case_provider_key: CASE_PROVIDER_KEY, model: admission.model },
    auditFile,
    egressFile,
    caseCommand: name === 'real' ? identifyCommand(realArgv) : null,
    stopRecorders: async () => {
      await Promise.all([proxy.close(), egress.close()]);
    },
  };
  return { lane, check };
}
