import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '../src/evidence/redact.js';
import { emitReport } from '../src/report/write-report.js';

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'case-route-companions-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

const at = '2026-05-31T10:00:00.000Z';
const blockedRun = {
  runId: 'companion-test',
  context: {
    lane: 'fake' as const,
    fixture: 'sum-bug',
    mode: 'run' as const,
    blocked: { gate: 'admissionIsAdmitted' as const, reason: 'admission_not_admitted' as const, detail: 'admission_status is "pending"' },
  },
  finalState: 'blocked',
  visits: ['loading_decision', 'decision_loaded', 'config_checked', 'blocked'].map((state) => ({ state, at })),
  startedAt: at,
  finishedAt: at,
  aborted: false,
};

describe('a report and its companions are written together or not at all', () => {
  it('writes report.json, report.html, route.mmd and report.intoto.json', async () => {
    await emitReport(runDir, blockedRun, createRedactor([]));
    expect((await readdir(runDir)).sort()).toEqual(['report.html', 'report.intoto.json', 'report.json', 'route.mmd']);
  });

  it('leaves nothing of its own behind when a companion cannot be written', async () => {
    // A directory where report.html should go makes that one write fail, after others succeeded.
    await mkdir(join(runDir, 'report.html'));
    await expect(emitReport(runDir, blockedRun, createRedactor([]))).rejects.toThrow();
    expect(await readdir(runDir)).toEqual(['report.html']);
  });
});
