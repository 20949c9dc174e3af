import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runTool, TOOL_DEFINITIONS } from './agent-tools.js';
import { chatCompletion } from './chat-client.js';
import { caseDataDir, findModel, readCaseConfig, resolveModelRef } from './model-resolution.js';

// The fake Case: a deterministic stand-in for `ca run --task FILE --mode unattended`. It reads
// the same files, resolves its model by the same rules, logs the same spawn lines and events,
// and exits 0 when its pipeline fails, as Case does; only the model's answers make it pass.

const PHASES = [
  { phase: 'implement', agent: 'implementer', title: 'Implementer' },
  { phase: 'review', agent: 'reviewer', title: 'Reviewer' },
  { phase: 'close', agent: 'closer', title: 'Closer' },
  { phase: 'retrospective', agent: 'retrospective', title: 'Retrospective' },
] as const;

const MAX_TURNS = 24;

function log(fields: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level: 'info', ...fields })}\n`);
}

function fail(message: string): never {
  process.stderr.write(`case: ${message}\n`);
  process.exit(1);
}

interface AgentResult {
  status: string;
  summary?: string;
  artifacts?: Record<string, unknown>;
}

function parseAgentResult(content: string): AgentResult | undefined {
  const match = /<<<AGENT_RESULT\s*([\s\S]*?)\s*AGENT_RESULT>>>/.exec(content);
  if (!match?.[1]) return undefined;
  try {
    return JSON.parse(match[1]) as AgentResult;
  } catch {
    return undefined;
  }
}

async function runAgent(agent: string, title: string, taskText: string, cwd: string): Promise<AgentResult> {
  const ref = resolveModelRef(agent, process.env);
  const model = findModel(ref, process.env);
  if (!model) throw new Error(`Model not found: ${ref.provider}/${ref.model}`);
  log({ msg: 'spawning agent', agent, cwd, provider: model.provider, model: model.model, timeout: 600000 });
  if (!model.apiKey) return { status: 'failed', summary: `No API key for provider: ${model.provider}` };
  const messages: Array<Record<string, unknown>> = [
    { role: 'system', content: `# ${title} — case-local-route fake Case\nFollow the task.` },
    { role: 'user', content: taskText },
  ];
  for (let turn = 0; turn < MAX_TURNS; turn += 1) {
    let reply;
    try {
      reply = await chatCompletion(
        model.baseUrl,
        model.apiKey,
        {
          model: model.model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          max_completion_tokens: 16384,
          tools: TOOL_DEFINITIONS,
        },
        process.env,
      );
    } catch (error) {
      return { status: 'failed', summary: `AGENT_RESULT start delimiter not found (${(error as Error).message})` };
    }
    if (reply.toolCalls.length === 0) {
      return parseAgentResult(reply.content) ?? { status: 'failed', summary: 'AGENT_RESULT start delimiter not found' };
    }
    messages.push({
      role: 'assistant',
      content: reply.content || null,
      tool_calls: reply.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    });
    for (const call of reply.toolCalls) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: await runTool(call.name, call.arguments, cwd) });
    }
  }
  return { status: 'failed', summary: 'turn limit reached' };
}

export const STARTED_MARKER = join('.case', 'fake-case.started');

async function main(): Promise<void> {
  // Written before anything else, so a test can prove that a blocked run never started Case.
  mkdirSync(join(process.cwd(), '.case'), { recursive: true });
  writeFileSync(join(process.cwd(), STARTED_MARKER), `${process.pid}\n`);
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { task: { type: 'string', short: 't' }, mode: { type: 'string', short: 'm' } },
  });
  if (positionals[0] !== 'run' || !values.task) fail('usage: run --task FILE --mode unattended');
  const cwd = process.cwd();
  const taskPath = resolve(cwd, values.task);
  let task: { id?: string; repo?: string };
  try {
    task = JSON.parse(readFileSync(taskPath, 'utf8'));
  } catch {
    fail(`task file not found or not JSON: ${values.task}`);
  }
  if (!task.id || !task.repo) fail('task file needs id and repo');
  const config = readCaseConfig(process.env);
  const projectsFile = join(caseDataDir(process.env), typeof config.projects === 'string' ? config.projects : 'projects.json');
  let repos: Array<{ name?: string }> = [];
  try {
    repos = JSON.parse(readFileSync(projectsFile, 'utf8')).repos ?? [];
  } catch {
    repos = [];
  }
  if (!repos.some((repo) => repo.name === task.repo)) fail(`Repo "${task.repo}" not found`);

  const runId = randomUUID();
  const stateDir = join(cwd, '.case', task.id);
  mkdirSync(join(stateDir, 'events'), { recursive: true });
  const eventsFile = join(stateDir, 'events', `run-${runId}.jsonl`);
  let sequence = 0;
  const event = (name: string, fields: Record<string, unknown> = {}) =>
    appendFileSync(eventsFile, `${JSON.stringify({ event: name, ...fields, ts: new Date().toISOString(), sequence: sequence++, runId })}\n`);
  const started = Date.now();
  event('pipeline_start', { profile: 'tiny' });
  const taskText = readFileSync(taskPath.replace(/\.task\.json$/, '.md'), 'utf8');

  for (const { phase, agent, title } of PHASES) {
    event('phase_start', { phase, agent });
    process.stdout.write(`[unattended] [${phase}] starting ${agent}...\n`);
    const result = await runAgent(agent, title, taskText, cwd);
    event('phase_end', { phase, outcome: result.status === 'completed' ? 'completed' : 'failed' });
    if (result.status !== 'completed') {
      event('pipeline_end', { outcome: 'failed', failedAgent: agent, durationMs: Date.now() - started });
      process.stdout.write(`[unattended] Pipeline failed at ${phase} phase. ${result.summary ?? ''}\n`);
      return;
    }
    if (agent === 'implementer' && result.artifacts?.testsPassed === true) writeFileSync(join(stateDir, 'tested'), new Date().toISOString());
    if (agent === 'reviewer') writeFileSync(join(stateDir, 'reviewed'), new Date().toISOString());
  }
  event('pipeline_end', { outcome: 'completed', durationMs: Date.now() - started });
  process.stdout.write('[unattended] Pipeline completed successfully.\n');
}

main().catch((error: Error) => fail(error.message));
