/** `sim schema`: the JSON Schema of scenario files, for editors. */
import type { CommandModule } from 'yargs';
import { toJsonSchema } from '../../scenario/serialize.ts';

export const schemaCommand: CommandModule = {
  command: 'schema',
  describe: 'print the JSON Schema of scenario files (yaml-language-server completion)',
  handler: () => {
    process.stdout.write(`${JSON.stringify(toJsonSchema(), null, 2)}\n`);
  },
};
