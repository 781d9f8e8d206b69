/**
 * A private MariaDB for one testbed: Debian's mariadb-server, installed into
 * a data directory of its own (mariadb-install-db) and run as mariadbd on a
 * free loopback port and a private socket, with no grant tables (only the
 * testbed's processes can reach 127.0.0.1:port). Nothing of the system's
 * MariaDB (its data, its config, its service) is touched.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, killGroup, sleep, spawnGroup, waitListening } from './procs.ts';

const run = promisify(execFile);

export interface Database {
  port: number;
  name: string;
  /** Runs SQL through the mariadb client. */
  sql(text: string): Promise<string>;
  /** An empty database with the schema: every run starts from nothing. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const userFlag = () => (process.getuid?.() === 0 ? ['--user=root'] : []);

export async function startMariaDb(folder: string, schemaFile: string): Promise<Database> {
  const dir = resolve(folder);
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...userFlag()], { timeout: 120_000 })
    .catch((e: Error) => {
      throw new Error(`mariadb-install-db failed (is mariadb-server installed? apt-get install mariadb-server): ${e.message}`);
    });
  const port = await freePort();
  const child = spawnGroup('mariadbd', [
    '--no-defaults', `--datadir=${data}`, `--socket=${join(dir, 'mariadb.sock')}`, `--port=${port}`, '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mariadb.pid')}`, `--log-error=${join(dir, 'mariadb.err')}`, '--skip-grant-tables', '--skip-log-bin',
    '--character-set-server=utf8mb4', '--collation-server=utf8mb4_bin', '--innodb-buffer-pool-size=32M', '--max-connections=500', ...userFlag(),
  ]);
  let exited = false;
  child.once('exit', () => (exited = true));
  if (!(await waitListening(port, 60_000, 50)) || exited) {
    killGroup(child.pid ?? 0);
    throw new Error(`mariadbd did not start; see ${join(dir, 'mariadb.err')}: ${tail(join(dir, 'mariadb.err'))}`);
  }
  const sql = async (text: string) => (await run('mariadb', ['--no-defaults', '-h127.0.0.1', `-P${port}`, '-uroot', '-N', '-e', text], { timeout: 30_000 })).stdout;
  const name = 'todo';
  const schema = readFileSync(schemaFile, 'utf8');
  const reset = async () => void (await sql(`DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name}; USE ${name}; ${schema}`));
  await reset();
  return {
    port, name, sql, reset,
    async stop() {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i++) await sleep(50);
      killGroup(child.pid ?? 0);
    },
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '(no log)';
  }
}
