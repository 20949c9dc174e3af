import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { nanoid } from 'nanoid';
import { buildChildEnv } from '../lane-setup/child-env.js';
import { CASE_PROVIDER_KEY } from '../lane-setup/case-config.js';
import { caseModelLimits } from '../lane-setup/context-window.js';
import { makeLaneDirs, type HarnessDirs, type LaneDirs } from '../lane-setup/lane-dirs.js';
import { checkAdapter, readGenerated, taskFile, writeAdapter } from '../lane-setup/write-adapter.js';
import { copyFixtureInto, WORK_BRANCH } from '../fixture/copy-fixture.js';
import { loadFixture, type Fixture } from '../fixture/fixture-manifest.js';
import { readFixtureTree } from '../fixture/fixture-tree.js';
import type { Check, LaneSetupFacts } from '../gates/lane-setup-gates.js';
import type { Admission } from '../inputs/admission.js';
import type { EnvConfig } from '../inputs/env-config.js';
import { sha256Hex } from '../inputs/json-input.js';
import { DIST_SRC, FIXTURES_DIR } from '../paths.js';
import { startEgressDenyProxy } from '../proxy/egress-proxy.js';
import type { EgressAttempt } from '../evidence/egress-log.js';
import { startGhRecorder } from '../proxy/gh-recorder.js';
import { startRecordingProxy } from '../proxy/recording-proxy.js';
import type { AuditRecord } from '../evidence/proxy-audit.js';
import { TRANSCRIPT_CAP_BYTES, TRANSCRIPT_FILE } from '../evidence/transcript.js';
import { probeIsolation, type IsolationMode } from '../sandbox/isolation.js';
import { createSandbox, type Bridge, type Sandbox } from '../sandbox/sandbox.js';
import { startScriptedProvider } from '../scripted-provider/scripted-provider.js';
import type { Workspace } from '../run/workspace.js';
import type { Redactor } from '../evidence/redact.js';
import type { TreeFile } from '../fixture/fixture-tree.js';
import { identifyCommand, resolveCaseCommand } from './case-command.js';
import { lanesFor, type CommandFile, type LaneName, type LaneUpstream, type ModelMapping } from './lane-types.js';

export interface PreparedLane {
  readonly name: LaneName;
  readonly role: 'primary' | 'baseline';
  readonly dirs: LaneDirs;
  readonly harness: HarnessDirs;
  readonly env: Readonly<Record<string, string>>;
  // The Case command as it is started: inside the lane's sandbox when there is one.
  readonly argv: readonly string[];
  readonly sandbox: Sandbox;
  // The way to the lane's egress proxy, for the acceptance check's own sandbox.
  readonly egressBridge: Bridge;
  // What the harness wrote for Case, as it wrote it.
  readonly generated: ReadonlyArray<{ readonly name: string; readonly text: string }>;
  // The pristine fixture's check files.
  readonly checkFiles: readonly TreeFile[];
  readonly slug: string;
  readonly upstream: LaneUpstream;
  readonly upstreamApiKey: string | undefined;
  readonly fixture: Fixture;
  readonly treeSha256: string;
  readonly mapping: ModelMapping;
  readonly auditFile: string;
  readonly egressFile: string;
  readonly ghFile: string;
  // The model exchanges the recording proxy kept (src/proxy/transcript-recorder.ts); null when
  // the run was asked not to keep them.
  readonly transcriptFile: string | null;
  // The configured Case command's files, digested while the lane runs (a large binary takes most
  // of a second); null for the bundled fake Case.
  readonly caseCommand: Promise<readonly CommandFile[]> | null;
  // Closes the lane's recording and egress proxies once its processes are gone; the workspace
  // closes them too, for a lane that never ran.
  stopRecorders(): Promise<void>;
  // Tells the watcher of each request and egress attempt the lane's proxies record, as they come;
  // undefined stops telling.
  watchProxies(watcher: ProxyWatcher | undefined): void;
}

export interface ProxyWatcher {
  modelRequest(entry: AuditRecord): void;
  egressAttempt(attempt: EgressAttempt): void;
}

export interface PrepareLanesArgs {
  readonly workspace: Workspace;
  readonly lane: LaneName;
  readonly fixtureName: string;
  readonly admission: Admission;
  readonly config: EnvConfig;
  readonly parentEnv: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly runDir: string;
  readonly isolation: IsolationMode;
  readonly redactor: Redactor;
  // The window the local server stated in the preflight; null when it did not state one.
  readonly contextWindow: number | null;
  // Keep a transcript of each lane's model exchanges (--no-transcript turns it off).
  readonly transcript: boolean;
}

// More paths a Case installation needs read-only inside the sandbox, colon-separated.
export const SANDBOX_READ_ENV = 'CTO_HARNESS_CASE_SANDBOX_READ';

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
  const { config } = args;
  const loaded = await loadFixture(FIXTURES_DIR, args.fixtureName);
  const tree = loaded.ok ? await readFixtureTree(loaded.fixture.repoDir) : undefined;
  if (!loaded.ok || !tree?.ok) {
    const detail = !loaded.ok ? loaded.detail : `fixture "${args.fixtureName}": ${tree && !tree.ok ? tree.detail : 'unreadable'}`;
    return {
      facts: { fixture: { ok: false, detail, name: args.fixtureName, tree_sha256: null }, caseCommand: NOT_CHECKED, isolation: NOT_CHECKED, adapter: NOT_CHECKED, admissionSha256: null, lanes: [] },
      lanes: [],
    };
  }
  const leaking = firstSecretBearing(tree.files, args.redactor);
  if (leaking) {
    const detail = `fixture "${args.fixtureName}": ${leaking} holds a secret-shaped value; fixtures are artificial`;
    return {
      facts: { fixture: { ok: false, detail, name: args.fixtureName, tree_sha256: tree.sha256 }, caseCommand: NOT_CHECKED, isolation: NOT_CHECKED, adapter: NOT_CHECKED, admissionSha256: null, lanes: [] },
      lanes: [],
    };
  }
  const fixture = loaded.fixture;
  const fixtureFacts = { ok: true, detail: 'copied into a fresh git repository', name: fixture.name, tree_sha256: tree.sha256 };

  // The replay lane runs the configured Case when there is one, else the fake Case.
  const runsCaseCommand = args.lane === 'real' || (args.lane === 'replay' && Boolean(config.caseCommand?.trim()));
  const real = runsCaseCommand ? await resolveCaseCommand(config.caseCommand, args.parentEnv.PATH ?? '', args.cwd) : undefined;
  if (real && !real.ok) {
    return { facts: { fixture: fixtureFacts, caseCommand: { ok: false, detail: real.detail }, isolation: NOT_CHECKED, adapter: NOT_CHECKED, admissionSha256: null, lanes: [] }, lanes: [] };
  }
  const caseCommandFacts = real ? { ok: real.ok, detail: real.detail } : { ok: true, detail: `the ${args.lane} lane runs the bundled fake Case` };

  const probe = args.isolation === 'off' ? undefined : await probeIsolation(args.parentEnv.PATH ?? '');
  if (args.isolation === 'required' && !probe?.ok) {
    const detail = `--isolation required: ${probe && !probe.ok ? probe.detail : 'not probed'}; use --isolation off to run without it`;
    return { facts: { fixture: fixtureFacts, caseCommand: caseCommandFacts, isolation: { ok: false, detail }, adapter: NOT_CHECKED, admissionSha256: null, lanes: [] }, lanes: [] };
  }
  const sandbox = createSandbox(probe?.ok ? probe.tools : undefined, {
    harnessCwd: args.cwd,
    runDir: args.runDir,
    home: args.parentEnv.HOME ?? homedir(),
    path: args.parentEnv.PATH ?? '',
    extraReadable: (args.parentEnv[SANDBOX_READ_ENV] ?? '').split(delimiter).filter((p) => p.startsWith('/')),
    // The run directory is not here: inside a checkout shown read-only (the default --out), it is
    // covered again after the checkout's bind.
    protect: [args.workspace.dir, args.parentEnv.HOME ?? homedir()],
  });
  const isolationFacts = {
    ok: true,
    detail: sandbox.isolation.mode === 'off' ? `${args.isolation === 'auto' && probe && !probe.ok ? `${probe.detail}; ` : ''}${sandbox.isolation.detail}` : sandbox.isolation.detail,
  };
  const checkFiles = tree.files.filter((file) => fixture.manifest.check_files.includes(file.path));

  // Lanes are independent (own fixture copy, proxies, config), so they are prepared side by side.
  // Every lane settles before a failure is thrown, so nothing registers for cleanup after it ran.
  const settled = await Promise.allSettled(
    lanesFor(args.lane).map((name) =>
      prepareLane({ name, args, fixture, files: tree.files, treeSha256: tree.sha256, realArgv: real?.argv ?? FAKE_CASE_ARGV, sandbox, checkFiles }),
    ),
  );
  const prepared = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  const lanes = prepared.map((p) => p.lane);
  const adapterProblems = prepared.flatMap((p) => (p.check.ok ? [] : [`${p.lane.name} lane: ${p.check.detail}`]));
  const facts: LaneSetupFacts = {
    fixture: fixtureFacts,
    caseCommand: caseCommandFacts,
    isolation: isolationFacts,
    adapter: adapterProblems.length === 0 ? { ok: true, detail: 'generated Case config read back and pinned' } : { ok: false, detail: adapterProblems.join('; ') },
    admissionSha256: await hashFile(config.admissionFile),
    lanes: lanes.map((lane) => lane.name),
  };
  return { facts, lanes };
}

interface LaneToPrepare {
  readonly name: LaneName;
  readonly args: PrepareLanesArgs;
  readonly fixture: Fixture;
  readonly files: readonly TreeFile[];
  readonly treeSha256: string;
  readonly realArgv: readonly string[];
  readonly sandbox: Sandbox;
  readonly checkFiles: readonly TreeFile[];
}

async function prepareLane(p: LaneToPrepare): Promise<{ lane: PreparedLane; check: Check }> {
  const { name, args, fixture, sandbox } = p;
  const { workspace, admission, config } = args;
  const role = name === args.lane ? 'primary' : 'baseline';
  const { dirs, harness } = await makeLaneDirs(await workspace.ensure(), name);
  await copyFixtureInto(dirs.repo, p.files);
  let upstream: LaneUpstream = { source: 'admitted_server', base_url: config.baseUrl!.trim() };
  let upstreamApiKey = config.apiKey || undefined;
  let limits = caseModelLimits(args.contextWindow);
  if (name === 'replay') upstream = { source: 'harness_replay_provider', base_url: upstream.base_url };
  if (role === 'baseline') {
    // The baseline measures the harness, not the model: its own scripted provider on loopback.
    const provider = await startScriptedProvider({ model: admission.model, script: fixture.script });
    workspace.defer(() => provider.close());
    upstream = { source: 'harness_scripted_provider', base_url: provider.url };
    upstreamApiKey = undefined;
    limits = caseModelLimits(null);
  }
  const laneToken = `case-route-lane-${nanoid(32)}`;
  // The records are the harness's, outside the lane's root: a sandboxed lane cannot see them.
  const auditFile = join(harness.evidence, 'proxy-audit.jsonl');
  const egressFile = join(harness.evidence, 'egress.jsonl');
  const ghFile = join(harness.evidence, 'gh.jsonl');
  const transcriptFile = args.transcript ? join(harness.evidence, TRANSCRIPT_FILE) : null;
  const socket = (name: string) => join(harness.sockets, `${name}.sock`);
  let watcher: ProxyWatcher | undefined;
  const egress = await startEgressDenyProxy({ logFile: egressFile, socketPath: socket('egress'), onAttempt: (attempt) => watcher?.egressAttempt(attempt) });
  workspace.defer(() => egress.close());
  const proxy = await startRecordingProxy({ upstream: upstream.base_url, admittedModel: admission.model, laneToken, upstreamApiKey, auditFile, socketPath: socket('model'), onRecord: (entry) => watcher?.modelRequest(entry), transcript: transcriptFile === null ? undefined : { file: transcriptFile, lane: name, maxBytes: TRANSCRIPT_CAP_BYTES } });
  workspace.defer(() => proxy.close());
  const gh = await startGhRecorder({ logFile: ghFile, socketPath: socket('gh') });
  workspace.defer(() => gh.close());
  const env = buildChildEnv(args.parentEnv, { dirs, laneToken, recordingProxyPort: proxy.port, egressProxyUrl: egress.url });
  const caseArgv = name === 'fake' ? FAKE_CASE_ARGV : p.realArgv;
  const slug = `${fixture.name}-stage2`;
  const spec = {
    dirs,
    model: admission.model,
    limits,
    proxyBaseUrl: proxy.url,
    repoName: fixture.name,
    slug,
    branch: WORK_BRANCH,
    taskText: fixture.taskText,
    testCommand: fixture.manifest.acceptance.join(' '),
    ghStandin: { node: process.execPath, script: join(DIST_SRC, 'lane-setup', 'gh-standin.js'), recorderUrl: gh.url },
    caseCommand: caseArgv,
  };
  await writeAdapter(spec);
  const check = await checkAdapter(spec, env, laneToken);
  const generated = await readGenerated(spec);
  const egressBridge = { port: egress.port, socket: socket('egress') };
  const argv = await sandbox.wrap({
    argv: [...caseArgv, 'run', '--task', taskFile(spec), '--mode', 'unattended'],
    cwd: dirs.repo,
    stage: join(harness.stage, 'lane'),
    writable: [dirs.root],
    readable: [],
    bridges: [{ port: proxy.port, socket: socket('model') }, egressBridge, { port: gh.port, socket: socket('gh') }],
  });
  const lane: PreparedLane = {
    name,
    role,
    dirs,
    harness,
    env,
    argv,
    sandbox,
    egressBridge,
    generated,
    checkFiles: p.checkFiles,
    slug,
    upstream,
    upstreamApiKey,
    fixture,
    treeSha256: p.treeSha256,
    mapping: { logical_provider: admission.provider, case_provider_key: CASE_PROVIDER_KEY, model: admission.model },
    auditFile,
    egressFile,
    ghFile,
    transcriptFile,
    caseCommand: name !== 'fake' && p.realArgv !== FAKE_CASE_ARGV ? identifyCommand(p.realArgv) : null,
    stopRecorders: async () => {
      await Promise.all([proxy.close(), egress.close(), gh.close()]);
    },
    watchProxies: (next) => {
      watcher = next;
    },
  };
  return { lane, check };
}
