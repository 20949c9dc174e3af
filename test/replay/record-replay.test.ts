import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/evidence/transcript.js';
import { startScriptedProvider } from '../../src/scripted-provider/scripted-provider.js';
import { CLI, listTree, makeSandbox, MODEL, parseReport, ROOT, runCli, SUM_BUG_SCRIPT, useProvider, withSandbox, type Sandbox } from '../support/cli.js';

const provider = useProvider();
const standin = (name: string) => `${process.execPath} ${join(ROOT, 'test', 'case-standins', name)}`;
const AGENTS = ['implementer', 'reviewer', 'closer', 'retrospective'];

// One recorded fake-lane run against the scripted provider, replayed by the tests below.
let recording: Sandbox;
let recorded: { dir: string; runId: string };
beforeAll(async () => {
  recording = await makeSandbox(provider.url);
  const result = await runCli(['run', '--json', '--out', recording.out], recording.env());
  const report = parseReport(result.stdout);
  expect(report.status, result.stderr).toBe('pass');
  recorded = { dir: join(recording.out, report.run_id), runId: report.run_id };
}, 120_000);
afterAll(() => recording?.cleanup());

async function transcriptOf(runDir: string, lane: string) {
  return parseTranscript(await readFile(join(runDir, 'lanes', lane, 'transcript.jsonl'), 'utf8'), 'transcript.jsonl');
}

describe('record', () => {
  it('keeps each model exchange of the lane, keyed by agent and turn, streamed answers as timed events, attested', async () => {
    const transcript = await transcriptOf(recorded.dir, 'fake');
    expect(transcript.problems).toEqual([]);
    const report = JSON.parse(await readFile(join(recorded.dir, 'report.json'), 'utf8'));
    expect(transcript.exchanges).toHaveLength(report.lanes[0].requests_total);
    expect([...new Set(transcript.exchanges.map((e) => e.agent))]).toEqual(AGENTS);
    const [first, second] = transcript.exchanges;
    expect(first).toMatchObject({ seq: 1, lane: 'fake', agent: 'implementer', turn: 0, request: { body: { model: MODEL, stream: true } }, response: { status: 200 } });
    expect(second).toMatchObject({ agent: 'implementer', turn: 1 });
    const events = first!.response.events!;
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(JSON.parse(events[1]!.data).choices[0].delta.tool_calls[0].function.name).toBe('read');
    expect(events.every((event, i) => event.t_ms >= (events[i - 1]?.t_ms ?? 0))).toBe(true);
    // Paths of this machine are labels, and the transcript is one of the attested files.
    expect(JSON.stringify(transcript.exchanges)).not.toContain(recording.tmp);
    const verify = await runCli(['verify', recorded.dir, '--json'], recording.env());
    expect(verify.exitCode).toBe(0);
    const statement = JSON.parse(await readFile(join(recorded.dir, 'report.intoto.json'), 'utf8'));
    expect(statement.subject.map((s: { name: string }) => s.name)).toContain('lanes/fake/transcript.jsonl');
  });

  it('keeps none with --no-transcript', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runCli(['run', '--json', '--no-transcript', '--out', sandbox.out], sandbox.env());
      const report = parseReport(result.stdout);
      expect(report.status).toBe('pass');
      expect((await listTree(sandbox.out)).filter((f) => f.includes('transcript'))).toEqual([]);
      // Nothing to replay from such a run, and the error says why.
      const replay = await runCli(['run', '--lane', 'replay', '--from', join(sandbox.out, report.run_id), '--out', sandbox.out], sandbox.env());
      expect(replay.exitCode).toBe(64);
      expect(replay.stderr).toContain(`option from: run ${report.run_id}: lanes/fake/transcript.jsonl is missing: the run was made with --no-transcript`);
    }), 120_000);
});

describe('replay lane', () => {
  it('replays the recorded run with the fake Case, through the same route, and matches it', () =>
    withSandbox('http://127.0.0.1:9/v1', async (sandbox) => {
      // No model server at all: the replay lane serves the recording itself.
      const result = await runCli(['run', '--lane', 'replay', '--from', recorded.dir, '--json', '--out', sandbox.out], sandbox.env());
      const report = parseReport(result.stdout);
      expect(report.status, JSON.stringify(report.fail_reasons)).toBe('pass');
      expect(result.exitCode).toBe(0);
      const [lane] = report.lanes;
      expect(lane).toMatchObject({ lane: 'replay', role: 'primary', upstream: { source: 'harness_replay_provider' }, pipeline_outcome: 'completed', acceptance: { passed: true } });
      expect(report.replay).toEqual({
        from_run_id: recorded.runId,
        recorded_lane: 'fake',
        recorded: { stage2_passed: true, agents: AGENTS, requests: 9 },
        replayed: { stage2_passed: true, agents: AGENTS, requests: 9 },
        first_divergence: null,
        differences: [],
      });
      // A replay is never real Stage 2 evidence.
      expect(report.claim.stage2_evidence).toBe('route_validation');
      expect(report.claim.not_evidence_because.map((r) => r.reason)).toEqual(['fake_lane', 'replay']);
      expect(result.stderr).toContain('pass: route validated on the replay lane — not Stage 2 evidence');
      // The replay keeps its own transcript, so it can be replayed in turn.
      expect((await transcriptOf(join(sandbox.out, report.run_id), 'replay')).exchanges).toHaveLength(9);
      expect(await listTree(sandbox.tmp)).toEqual([]);
    }), 120_000);

  it('fails with replay_diverged when Case sends a different prompt, naming the first differing request', () =>
    withSandbox('http://127.0.0.1:9/v1', async (sandbox) => {
      const result = await runCli(
        ['run', '--lane', 'replay', '--from', recorded.dir, '--json', '--out', sandbox.out],
        sandbox.env({ CTO_HARNESS_CASE_COMMAND: standin('different-prompt-case.mjs') }),
      );
      const report = parseReport(result.stdout);
      expect(report.status).toBe('fail');
      expect(result.exitCode).toBe(1);
      expect(report.replay?.first_divergence).toMatchObject({ request: 1, agent: 'implementer', turn: 0, path: 'messages[1].content' });
      expect(report.replay?.first_divergence?.detail).toContain('Also delete the tests.');
      const diverged = report.fail_reasons.find((f) => f.reason === 'replay_diverged');
      expect(diverged?.detail).toMatch(new RegExp(`^replay of run ${recorded.runId}: request 1 \\(implementer turn 0\\) diverged at messages\\[1\\]\\.content`));
      expect(report.replay?.differences).toEqual(expect.arrayContaining(['Stage 2: recorded passed, replayed failed']));
      expect(result.stderr).toContain('reason: replay_diverged');
      const html = await readFile(join(sandbox.out, report.run_id, 'report.html'), 'utf8');
      expect(html).toContain(`Replay of run <code>${recorded.runId}</code> (fake lane)`);
      expect(html).toContain('<strong>Diverged</strong> first at request 1 (implementer turn 0), <code>messages[1].content</code>');
      // The configured command ran: named by digest, still not evidence.
      expect(report.claim.case_command?.map((f) => f.name)).toEqual(['node', 'different-prompt-case.mjs']);
      expect(report.claim.not_evidence_because.map((r) => r.reason)).toContain('replay');
    }), 120_000);

  it('refuses --lane replay without --from, and --from without it', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      expect((await runCli(['run', '--lane', 'replay'], sandbox.env())).stderr).toContain('--lane replay needs --from RUN_DIR');
      expect((await runCli(['run', '--from', recorded.dir], sandbox.env())).exitCode).toBe(64);
      const wrongFixture = await runCli(['run', '--lane', 'replay', '--from', recorded.dir, '--fixture', 'other', '--out', sandbox.out], sandbox.env());
      expect(wrongFixture.stderr).toContain('option fixture: the recorded run used fixture "sum-bug", not "other"');
    } finally {
      await sandbox.cleanup();
    }
  });
});

describe('case-route provider --replay', () => {
  it('answers an equivalent request with the recorded stream, and refuses a diverging one saying where', async () => {
    const server = execa(process.execPath, [CLI, 'provider', '--replay', recorded.dir], { reject: false, stdin: 'ignore', cwd: ROOT });
    try {
      const ready = await new Promise<{ url: string; model: string; exchanges: number }>((resolve, reject) => {
        server.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString())));
        server.once('exit', () => reject(new Error('the replay provider exited')));
      });
      expect(ready).toMatchObject({ model: MODEL, exchanges: 9 });
      const [first] = (await transcriptOf(recorded.dir, 'fake')).exchanges;
      const post = (body: unknown) => fetch(`${ready.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const body = first!.request.body as { messages: Array<{ content: string }> };

      const diverging = structuredClone(body);
      diverging.messages[1]!.content += ' And then some.';
      const refused = await post(diverging);
      expect(refused.status).toBe(400);
      const error = await refused.json();
      expect(error.replay).toMatchObject({ request: 1, agent: 'implementer', turn: 0, path: 'messages[1].content' });
      expect(error.error.message).toContain('at request 1 (implementer turn 0): messages[1].content: differs at character');

      const answered = await post(body);
      expect(answered.status).toBe(200);
      expect(answered.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const sent = (await answered.text()).split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
      expect(sent).toEqual(first!.response.events!.map((event) => event.data));

      // Each recorded exchange is answered once; the same request again has nothing left to match.
      const again = await post(body);
      expect((await again.json()).replay).toMatchObject({ request: 3, path: '(request)' });
    } finally {
      server.kill('SIGTERM');
      await server;
    }
    expect(String((await server).stderr)).toContain('replayed 1 of 9 recorded exchange(s); 2 request(s) diverged');
  });

  it('refuses a run directory that is not an intact recording, naming it', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runCli(['provider', '--replay', sandbox.out], sandbox.env());
      expect(result.exitCode).toBe(64);
      expect(result.stderr).toMatch(/^case-route provider: run out: not intact against its attestation: report\.intoto\.json is missing/);
    }));
});

describe('a transcript that holds a secret', () => {
  const CANARY_VALUE = 'CANARY-transcript-secret-value-0000011';
  const CANARY_SHAPE = 'ghp_CANARYtranscriptShapeCANARY0000000012';
  it('never reaches an artifact unredacted, and the redacted recording still replays', async () => {
    // The model's first answer runs a command holding both: the request that follows echoes it,
    // and the answer holds it.
    const script = structuredClone(SUM_BUG_SCRIPT);
    script.roles.implementer!.unshift({ tool_calls: [{ name: 'bash', arguments: { command: `echo ${CANARY_VALUE} ${CANARY_SHAPE}` } }] });
    const leaky = await startScriptedProvider({ model: MODEL, script });
    try {
      await withSandbox(leaky.url, async (sandbox) => {
        const env = sandbox.env({ REPLAY_CANARY_TOKEN: CANARY_VALUE });
        const result = await runCli(['run', '--json', '--out', sandbox.out], env);
        const report = parseReport(result.stdout);
        expect(report.status, JSON.stringify(report.fail_reasons)).toBe('pass');
        const runDir = join(sandbox.out, report.run_id);
        for (const file of await listTree(runDir)) {
          const text = await readFile(join(runDir, file), 'utf8');
          expect(text.includes(CANARY_VALUE) || text.includes(CANARY_SHAPE), file).toBe(false);
        }
        const transcript = await readFile(join(runDir, 'lanes', 'fake', 'transcript.jsonl'), 'utf8');
        expect(transcript).toContain('echo [REDACTED] [REDACTED]');
        expect(result.stdout + result.stderr).not.toContain(CANARY_VALUE);

        // The live request holds the secret where the recording holds [REDACTED]: equivalent.
        const replay = await runCli(['run', '--lane', 'replay', '--from', runDir, '--json', '--out', sandbox.out], env);
        const replayed = parseReport(replay.stdout);
        expect(replayed.replay?.differences).toEqual([]);
        expect(replayed.fail_reasons).toEqual([]);
      });
    } finally {
      await leaky.close();
    }
  }, 120_000);
});

// Real WorkOS Case, recorded on the real lane against the scripted provider, then replayed with
// real Case: only where the person running the tests points CTO_HARNESS_CASE_COMMAND at a Case.
const caseCommand = process.env.CTO_HARNESS_CASE_COMMAND;
const why = 'skipped: CTO_HARNESS_CASE_COMMAND is not set (point it at a Case checkout or `ca` binary to replay with real Case)';
if (!caseCommand) console.warn(`replay with real WorkOS Case: ${why}`);

describe(caseCommand ? 'replay with real WorkOS Case' : `replay with real WorkOS Case (${why})`, () => {
  it.skipIf(!caseCommand)('records real Case on the real lane, then replays it with real Case and matches', () =>
    withSandbox(provider.url, async (sandbox) => {
      const env = sandbox.env({ CTO_HARNESS_CASE_COMMAND: caseCommand });
      const recordedRun = parseReport((await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out, '--timeout', '300'], env)).stdout);
      expect(recordedRun.status, JSON.stringify(recordedRun.fail_reasons)).toBe('pass');
      const result = await runCli(['run', '--lane', 'replay', '--from', join(sandbox.out, recordedRun.run_id), '--json', '--out', sandbox.out, '--timeout', '300'], env);
      const report = parseReport(result.stdout);
      expect(report.replay?.differences, JSON.stringify(report.replay?.first_divergence)).toEqual([]);
      expect(report.status, JSON.stringify(report.fail_reasons)).toBe('pass');
      expect(report.replay).toMatchObject({ recorded_lane: 'real', recorded: { stage2_passed: true }, replayed: { stage2_passed: true } });
      expect(report.claim).toMatchObject({ stage2_evidence: 'route_validation', work_item: { real_pass_evidence: false } });
      expect(report.claim.not_evidence_because.map((r) => r.reason)).toEqual(['replay']);
    }), 720_000);
});

describe('case-route fixture from-run', () => {
  it('turns the recorded run into a fixture whose model script answers as the recorded model did, and never overwrites', () =>
    withSandbox(provider.url, async (sandbox) => {
      const made = await runCli(['fixture', 'from-run', recorded.dir, 'sum-bug-recorded'], sandbox.env(), sandbox.dir);
      expect(made.exitCode, made.stderr).toBe(0);
      expect(made.stderr).toContain('fixture sum-bug-recorded: sum-bug-recorded (model script turns: implementer 4, reviewer 2, closer 2, retrospective 1)');
      const dir = join(sandbox.dir, 'sum-bug-recorded');
      const { loadFixture } = await import('../../src/fixture/fixture-manifest.js');
      const loaded = await loadFixture(sandbox.dir, 'sum-bug-recorded');
      expect(loaded.ok).toBe(true);
      if (!loaded.ok) return;
      // The recorded answers are the hand-written script's, for each agent the tiny profile spawns.
      for (const role of AGENTS) expect(loaded.fixture.script.roles[role]).toEqual(SUM_BUG_SCRIPT.roles[role]);
      expect(await listTree(join(dir, 'repo'))).toEqual(await listTree(join(ROOT, 'examples', 'fixtures', 'sum-bug', 'repo')));

      // The script drives a run to a pass with no model at all.
      const scripted = await startScriptedProvider({ model: MODEL, script: loaded.fixture.script });
      try {
        const run = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_LOCAL_BASE_URL: scripted.url }));
        expect(parseReport(run.stdout).status).toBe('pass');
      } finally {
        await scripted.close();
      }

      const before = await readFile(join(dir, 'model-script.json'), 'utf8');
      const again = await runCli(['fixture', 'from-run', recorded.dir, 'sum-bug-recorded'], sandbox.env(), sandbox.dir);
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain('fixture from-run: sum-bug-recorded already exists; a fixture is never written over anything');
      expect(await readFile(join(dir, 'model-script.json'), 'utf8')).toBe(before);
      const badName = await runCli(['fixture', 'from-run', recorded.dir, '../up'], sandbox.env(), sandbox.dir);
      expect(badName.stderr).toContain('NAME "../up" is not a fixture name');
    }), 120_000);
});
