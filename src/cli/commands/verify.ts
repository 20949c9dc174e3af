import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { REPORT_JSON } from '../../report/artifact-names.js';
import { verifyEvidence } from '../../report/verify-evidence.js';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printable, printData, say, verdictWord } from '../output.js';

async function runDirOf(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return path;
    return basename(path) === REPORT_JSON ? dirname(path) : null;
  } catch {
    return null;
  }
}

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError('verify takes one run directory (the one holding report.json)');
  const dir = await runDirOf(positionals[0]!);
  if (!dir) {
    say(printable(`${basename(positionals[0]!)}: not a run directory`));
    return EXIT.fail;
  }
  const verdict = await verifyEvidence(dir);
  if (values.json) {
    printData(JSON.stringify(verdict, null, 2));
  } else {
    const word = verdictWord(process.stdout, verdict.intact ? 'intact' : 'not intact');
    const run = verdict.run ? ` (run ${verdict.run.run_id}, ${verdict.run.status})` : '';
    const claim = verdict.claim ? `claim: ${verdict.claim.statement}` : 'claim: none, the evidence is not intact';
    const lines = [`${word}: ${verdict.files_checked} file(s) checked against the attestation${printable(run)}`, printable(claim), ...verdict.problems.map((p) => `  ${printable(p)}`)];
    printData(lines.join('\n'));
  }
  return verdict.intact ? EXIT.pass : EXIT.fail;
}
