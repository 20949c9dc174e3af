import { jsonSchemaFor, SCHEMA_NAMES, type SchemaName } from '../../report/json-schemas.js';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printData } from '../output.js';

export async function schemaCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args, {}, true);
  const [name, ...extra] = positionals;
  if (!SCHEMA_NAMES.includes(name as SchemaName) || extra.length > 0) {
    throw new UsageError(`schema takes one of ${SCHEMA_NAMES.join(', ')}${name ? `, not "${positionals.join(' ')}"` : ''}`);
  }
  printData(JSON.stringify(jsonSchemaFor(name as SchemaName), null, 2));
  return EXIT.pass;
}
