import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A system service a test needs (an executable such as `redis-server`). When it is missing, the
 * test reports itself skipped with `skipNote` (pass it to vitest's `ctx.skip(note)`), unless
 * `KADAPTER_REQUIRE_SERVICES=1` (CI), where the lookup throws so the test file fails.
 */
export interface ServiceBinary {
  command: string;
  /** absolute path of the executable; undefined when it is not installed */
  path?: string;
  /** why the test is skipped and how to install the service (set when `path` is not) */
  skipNote?: string;
}

/** Finds `command` on PATH. `install` is the command that installs it (e.g. `apt-get install redis-server`). */
export function findServiceBinary(
  command: string,
  install: string,
  env: NodeJS.ProcessEnv = process.env,
): ServiceBinary {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return { command, path };
    } catch {}
  }
  const note = `${command} is not installed (install it with: ${install})`;
  if (env.KADAPTER_REQUIRE_SERVICES === '1')
    throw new Error(`${note}; KADAPTER_REQUIRE_SERVICES=1 makes tests that need it fail instead of skipping`);
  // visible with the default reporter too (the verbose one also prints the note of each skipped test)
  console.warn(`tests that need ${command} are skipped: ${note}`);
  return { command, skipNote: note };
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a race with other processes is possible, callers retry). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway redis-server on loopback: no persistence, its own temp dir. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on 127.0.0.1 at a free port (`--save '' --appendonly no`, a temp working
 * dir) and waits until it accepts connections. `stop()` shuts it down and removes the dir.
 */
export async function startRedisServer(binary: string, attempts = 3): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'kadapter-redis-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await waitForReady(child, 15_000);
      return { url: `redis://127.0.0.1:${port}`, port, stop: () => stopProcess(child).finally(() => rmDir(dir)) };
    } catch (err) {
      lastError = err;
      await stopProcess(child);
      rmDir(dir);
    }
  }
  throw new Error(`redis-server did not start after ${attempts} attempts: ${String(lastError)}`);
}

function rmDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => fail(new Error(`exited with code ${code}:\n${output}`));
    const fail = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData).resume();
      child.stderr?.off('data', onData).resume();
      child.off('exit', onExit);
      child.off('error', fail);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A process started by `startSourceProcess`: its log (stdout + stderr so far) and how it ended. */
export interface SourceProcess {
  child: ChildProcess;
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a workspace TypeScript entry point as its own process (`node --import tsx
 * --conditions=@kadapter/source <script> ...args` in `cwd`, which must resolve `tsx`) and waits until
 * its output matches `ready`. For tests that need real processes (e.g. queue workers to kill).
 */
export async function startSourceProcess(
  cwd: string,
  script: string,
  args: readonly string[],
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<SourceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kadapter/source', script, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (ready.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${log}`));
    });
  });
  return { child, log: () => log, exited };
}
