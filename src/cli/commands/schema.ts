/** `sim schema`: the JSON Schema of scenario files, for editors. */
import type { CommandModule } from 'yargs';

export const schemaCommand: CommandModule = {
  command: 'schema',
  describe: 'print the JSON Schema of scenario files (yaml-language-server completion)',
  handler: () => import('../actions/schema.ts').then((a) => a.action()),
};
