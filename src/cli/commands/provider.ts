import { runProviderCommand } from '../../scripted-provider/scripted-provider-main.js';
import { parse, portNumber, UsageError } from '../args.js';

export async function providerCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { model: { type: 'string' }, port: { type: 'string' }, script: { type: 'string' }, replay: { type: 'string' }, timing: { type: 'string' } });
  const port = portNumber(values.port, '--port');
  if (values.replay !== undefined) {
    if (values.script !== undefined) throw new UsageError('--replay serves a recorded run; it takes no --script');
    const timing = values.timing ?? 'none';
    if (timing !== 'none' && timing !== 'recorded') throw new UsageError(`--timing is none or recorded, not "${timing}"`);
    const { runReplayProviderCommand } = await import('../../replay/replay-provider-main.js');
    return runReplayProviderCommand({ runDir: values.replay, model: values.model, port, timing });
  }
  if (values.timing !== undefined) throw new UsageError('--timing goes with --replay');
  if (!values.model) throw new UsageError('provider needs --model ID (or --replay RUN_DIR)');
  return runProviderCommand({ model: values.model, port, scriptFile: values.script });
}
