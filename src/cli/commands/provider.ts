import { runProviderCommand } from '../../scripted-provider/scripted-provider-main.js';
import { parse, portNumber, UsageError } from '../args.js';

export async function providerCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { model: { type: 'string' }, port: { type: 'string' }, script: { type: 'string' } });
  if (!values.model) throw new UsageError('provider needs --model ID');
  return runProviderCommand({ model: values.model, port: portNumber(values.port, '--port'), scriptFile: values.script });
}
