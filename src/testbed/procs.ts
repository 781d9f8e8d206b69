/**
 * Child processes of the testbed, each the leader of its own process group
 * (like a container's PID namespace), and the guarantee that none outlives
 * the testbed: every group is SIGKILLed at teardown, on Ctrl-C, on SIGTERM
 * and when the testbed crashes.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { connect, createServer } from 'node:net';

const groups = new Set<number>();

/** A child in its own process group, registered for teardown. */
export function spawnGroup(cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  // The owner's pid in the environment of every process of the testbed: a leak is findable (/proc/*/environ).
  const env = { ...(opts.env ?? process.env), SIM_TESTBED_OWNER: String(process.pid) };
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, env, detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    groups.add(pid);
    child.once('exit', () => {
      // The leader is gone; what it left in its group is killed too.
      killGroup(pid);
      groups.delete(pid);
    });
  }
  return child;
}

/** SIGKILL to the whole group (a no-op when it is already gone). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every group still registered: the teardown of last resort. */
export function killAll(): void {
  for (const pid of groups) killGroup(pid);
  groups.clear();
}

process.on('exit', killAll);

/**
 * While the testbed runs: Ctrl-C, SIGTERM, SIGHUP and a crash kill every
 * group and end the command (exit 130, 143, 129, 70). Returns the function
 * that removes these handlers (the simulation phase has its own).
 */
export function installCleanup(onStop?: () => void): () => void {
  // The CLI's own signal handlers exit at once; 'exit' listeners still run (synchronously).
  const atExit = () => {
    killAll();
    onStop?.();
  };
  process.on('exit', atExit);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const h = () => {
      killAll();
      onStop?.();
      process.stderr.write(`sim: testbed stopped by ${signal}; every process it started is killed\n`);
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129);
    };
    process.on(signal, h);
    return [signal, h] as const;
  });
  const crash = (e: unknown) => {
    killAll();
    onStop?.();
    process.stderr.write(`sim: testbed crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', crash);
  return () => {
    process.off('exit', atExit);
    for (const [signal, h] of handlers) process.off(signal, h);
    process.off('uncaughtException', crash);
  };
}

/** A loopback port that is free now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the port now. */
export function listening(port: number, timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Polls until the port accepts connections; false after timeoutMs. */
export async function waitListening(port: number, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await listening(port)) return true;
    await sleep(everyMs);
  }
  return false;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
