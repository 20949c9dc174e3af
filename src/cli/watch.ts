import type { InspectionEvent } from 'xstate';
import type { PathLabel } from '../evidence/redact.js';
import type { Report } from '../report/report-schema.js';
import { createWatchTranslator, type WatchEvent } from '../watch/watch-events.js';
import { renderWatchPage } from '../watch/watch-page.js';
import { startWatchServer } from '../watch/watch-server.js';
import { UsageError } from './args.js';
import { createLiveRedactor } from './live-redactor.js';

export interface RouteWatch {
  // What a person opens in a browser.
  readonly url: string;
  readonly inspect: (event: InspectionEvent) => void;
  // The verdict, once the report is written (null when it could not be), with the lines the CLI
  // prints to say why, and where its report.html is (redacted like every event).
  finish(report: Report | null, why: readonly string[], reportHtml: string | null): void;
  stop(): Promise<void>;
}

export async function startWatch(port: number, paths: readonly PathLabel[]): Promise<RouteWatch> {
  const redactor = createLiveRedactor(paths);
  let server: Awaited<ReturnType<typeof startWatchServer>>;
  try {
    server = await startWatchServer(port, renderWatchPage);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EADDRINUSE' ? `--watch ${port} is in use` : `--watch ${port}: ${code ?? 'cannot listen'}`, { cause: error });
  }
  const publish = (event: WatchEvent) => server.publish(JSON.parse(redactor.redact(JSON.stringify(event))) as WatchEvent);
  const translate = createWatchTranslator((text) => redactor.redact(text));
  return {
    url: server.url,
    inspect: (event) => translate(event).forEach(publish),
    finish(report, why, reportHtml) {
      publish({
        kind: 'verdict',
        status: report?.status ?? 'fail',
        statement: report?.claim.statement ?? 'the report could not be written',
        reasons: [...why],
        report: reportHtml,
        at: new Date().toISOString(),
      });
    },
    stop: () => server.stop(),
  };
}
