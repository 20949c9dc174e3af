import { readFile } from 'node:fs/promises';
import { runProcessTree } from '../lanes/process-tree.js';
import { findTool } from '../sandbox/isolation.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { EvidenceProblem } from './case-observations.js';
import type { Redactor } from './redact.js';

export interface GitHistory {
  readonly problems: EvidenceProblem[];
  // Commits are out of reach of redaction, so the whole history is scanned instead.
  holdsSecret(redactor: Redactor): boolean;
}

export const GIT_HISTORY_CAP = 64 * 1024 * 1024;
const GIT_TIMEOUT_MS = 30_000;

// The lane wrote the repository's config, attributes and hooks: each setting that could make git
// run a program while printing the log is overridden here, and the lane's own PATH is not used.
const NEUTRAL_CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.attributesFile=/dev/null',
  'diff.external=',
  'log.showSignature=false',
  'gpg.program=false',
  'gpg.ssh.program=false',
  'gpg.x509.program=false',
].flatMap((setting) => ['-c', setting]);

// `git log -p --all` of the lane's copy, by the harness's git, in a sandbox of its own, with a
// deadline and a cap on what it prints.
export async function readGitHistory(
  repo: string,
  options: { readonly sandbox: Sandbox; readonly stage: string; readonly path: string; readonly output: string; readonly signal: AbortSignal },
): Promise<GitHistory> {
  const unreadable = (detail: string): GitHistory => ({ problems: [{ kind: 'unparseable', detail: `git history: ${detail}` }], holdsSecret: () => false });
  const git = await findTool('git', options.path);
  if (!git) return unreadable('git not found on the harness PATH');
  const argv = [git, ...NEUTRAL_CONFIG, 'log', '-p', '--all', '--no-ext-diff', '--no-textconv', '--no-color', '--no-show-signature'];
  const wrapped = await options.sandbox.wrap({ argv, cwd: repo, stage: options.stage, writable: [], readable: [repo], bridges: [] });
  const run = await runProcessTree(wrapped, {
    cwd: repo,
    env: {
      PATH: options.path,
      HOME: '/nonexistent',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_PAGER: 'cat',
      GIT_TERMINAL_PROMPT: '0',
      GIT_OPTIONAL_LOCKS: '0',
      LC_ALL: 'C',
    },
    timeoutMs: GIT_TIMEOUT_MS,
    signal: options.signal,
    output: { stdout: options.output, stderr: `${options.output}.stderr`, maxBytes: GIT_HISTORY_CAP },
    statusFd: options.sandbox.isolation.mode === 'namespaces',
  });
  if (run.truncated) {
    return { problems: [{ kind: 'truncated', detail: `git history: more than ${GIT_HISTORY_CAP} bytes` }], holdsSecret: () => false };
  }
  if (run.timedOut) return unreadable(`not read within ${GIT_TIMEOUT_MS} ms`);
  if (run.exitCode !== 0) return unreadable(`git log exited ${run.exitCode ?? `by signal ${run.signal}`}`);
  const text = await readFile(options.output, 'utf8');
  return { problems: [], holdsSecret: (redactor) => redactor.scan(text).secret };
}
