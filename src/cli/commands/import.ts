/** `sim import k8s/`: a scenario from Kubernetes manifests (Deployments, Services, Ingress, the diversifier). */
import type { CommandModule } from 'yargs';
import type { ImportArgs } from '../actions/import.ts';

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <path>',
  describe: 'write a scenario from Kubernetes manifests (a file or a folder of .yaml files)',
  builder: (y) =>
    y
      .positional('path', { type: 'string', demandOption: true, describe: 'a manifest file or a folder of them' })
      .option('out', { type: 'string', describe: 'scenario file to write (default: stdout)' })
      .option('name', { type: 'string', describe: 'scenario name (default: the folder or file name)' })
      .option('rename', { type: 'string', array: true, default: [], describe: 'map a Deployment to a service: --rename todo-users=users' })
      .option('recursive', { alias: 'R', type: 'boolean', default: false, describe: 'also read subfolders' }) as never,
  handler: (args) => import('../actions/import.ts').then((a) => a.action(args)),
};
