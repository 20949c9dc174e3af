import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from '../../graph/render-graph.js';
import { routeGraph } from '../../graph/route-graph.js';
import { runPathOf } from '../../graph/run-path.js';
import { REPORT_JSON } from '../../report/artifact-names.js';
import { ReportSchema, type Report } from '../../report/report-schema.js';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printData, sayError } from '../output.js';

type Loaded = { ok: true; report: Report } | { ok: false; message: string; error?: unknown };

// A report is read like any input: only its base name is echoed, and it must pass its schema.
async function loadReport(path: string): Promise<Loaded> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, REPORT_JSON);
  } catch {
    // stat failing is reported by the read below, with the same wording.
  }
  const name = basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `${name}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${name}: not valid JSON`, error };
  }
  const parsed = ReportSchema.safeParse(json);
  return parsed.success ? { ok: true, report: parsed.data } : { ok: false, message: `${name}: not a case-route report (see case-route schema report)` };
}

export async function graphCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { format: { type: 'string' }, report: { type: 'string' } });
  const format = (values.format ?? 'mermaid') as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw new UsageError(`--format is ${GRAPH_FORMATS.join(' or ')}, not "${values.format}"`);
  const graph = routeGraph();
  if (values.report === undefined) {
    printData(renderGraph(format, graph));
    return EXIT.pass;
  }
  const loaded = await loadReport(values.report);
  if (!loaded.ok) {
    sayError(loaded.message, loaded.error);
    return EXIT.fail;
  }
  printData(renderGraph(format, graph, runPathOf(graph, loaded.report)));
  return EXIT.pass;
}
