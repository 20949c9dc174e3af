import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toMermaid } from '../graph/render-graph.js';
import { routeGraph } from '../graph/route-graph.js';
import { runPathOf } from '../graph/run-path.js';
import { ATTESTATION, REPORT_HTML, ROUTE_DIAGRAM } from './artifact-names.js';
import { buildAttestation } from './attestation.js';
import { renderReportHtml } from './html-report.js';
import type { Report } from './report-schema.js';
import { writeAtomically } from './write-atomically.js';

export const COMPANION_FILES = [ROUTE_DIAGRAM, REPORT_HTML, ATTESTATION] as const;

// Everything here is derived from the report as written (already redacted) and from the machine
// definition, so nothing new can leak. The attestation comes last: it digests the others. Either
// every companion is written or none is left behind.
export async function writeCompanions(runDir: string, report: Report): Promise<void> {
  const graph = routeGraph();
  try {
    await writeAtomically(join(runDir, ROUTE_DIAGRAM), toMermaid(graph, runPathOf(graph, report)));
    await writeAtomically(join(runDir, REPORT_HTML), renderReportHtml(report));
    const statement = await buildAttestation(runDir, report);
    await writeAtomically(join(runDir, ATTESTATION), `${JSON.stringify(statement, null, 2)}\n`);
  } catch (error) {
    // Best effort: a failed removal must not hide why writing failed.
    await Promise.all(COMPANION_FILES.map((name) => rm(join(runDir, name), { force: true }).catch(() => undefined)));
    throw error;
  }
}
