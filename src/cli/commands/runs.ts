import { basename, join, resolve } from 'node:path';
import { renderRunIndexHtml } from '../../report/html-run-index.js';
import { listRuns, RunListError, type RunEntry } from '../../report/run-list.js';
import { writeAtomically } from '../../report/write-atomically.js';
import { DEFAULT_OUT_DIR } from '../../run/route-options.js';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printable, printData, say, verdictWord } from '../output.js';

export const RUN_INDEX = 'index.html';

const fixed = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));


function table(runs: readonly RunEntry[]): string {
  const header = ['started (UTC)', 'run', 'status', 'lane', 'model', 'requests', 'tok/s', 'ttft ms'];
  const rows = runs.map((run) =>
    run.readable
      ? [run.started_at.replace('T', ' ').slice(0, 19), run.run_id, run.status, run.lane, run.model ?? '-', String(run.requests), fixed(run.tokens_per_second, 1), fixed(run.median_ttft_ms, 1)]
      : ['-', run.dir, 'unreadable', '-', '-', '-', '-', '-'],
  ).map((row) => row.map(printable));
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[], paint = false) =>
    cells
      .map((cell, i) => {
        const padded = i >= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
        return paint && i === 2 ? verdictWord(process.stdout, cell) + ' '.repeat(widths[i]! - cell.length) : padded;
      })
      .join('  ')
      .trimEnd();
  const problems = runs.flatMap((run) => (run.readable ? [] : [printable(`${run.dir}: ${run.problem}`)]));
  return [line(header), ...rows.map((row) => line(row, true)), ...problems].join('\n');
}

export async function runsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, true);
  if (positionals.length > 1) throw new UsageError('runs takes at most one directory (default: the default --out directory)');
  const given = positionals[0] ?? DEFAULT_OUT_DIR;
  const dir = resolve(given);
  let runs: RunEntry[];
  try {
    runs = await listRuns(dir);
  } catch (error) {
    if (!(error instanceof RunListError)) throw error;
    say(`${given}: ${error.message}`);
    return EXIT.fail;
  }
  printData(values.json ? JSON.stringify(runs, null, 2) : runs.length === 0 ? `no runs in ${given}` : table(runs));
  try {
    await writeAtomically(join(dir, RUN_INDEX), renderRunIndexHtml(basename(dir), runs));
  } catch (error) {
    say(`could not write ${RUN_INDEX} in ${given}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT.fail;
  }
  say(`open: ${join(given, RUN_INDEX)}`);
  return EXIT.pass;
}
