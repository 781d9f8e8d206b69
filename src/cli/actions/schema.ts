/** What `sim schema` does; its options are in commands/schema.ts. */
import { toJsonSchema } from '../../scenario/serialize.ts';

export async function action(): Promise<void> {
  process.stdout.write(`${JSON.stringify(toJsonSchema(), null, 2)}\n`);
}
