import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { testKey } from './app';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Starts a DATA_DIR as a copy of the migrated PGlite data directory global-setup.ts made, so the
 * first command need not create the cluster (initdb in WebAssembly: several seconds).
 */
export function fromMigratedPglite(dataDir: string): void {
  const template = inject('pgliteDataDir');
  if (template) cpSync(template, path.join(dataDir, 'pglite'), { recursive: true });
}

/**
 * Runs `pacesetter …` as a user would, in a child process. `closeStdout` closes its standard output
 * at once, as a reader that stops early does (`| head -1`).
 */
export function runCli(args: string[], env: Record<string, string>, input?: string, options: { closeStdout?: boolean } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'pacesetter.mjs'), ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PACESETTER_KEY: testKey, LOG_LEVEL: 'warn', PACESETTER_DEMO_ENERGY: 'none', PACESETTER_DEMO_ACCESS: 'none', PACESETTER_DEMO_HEALTH: 'none', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    if (options.closeStdout) child.stdout.destroy();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Starts `pacesetter serve` and resolves with its URL once it prints it. */
export function startServer(extraEnv: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'pacesetter.mjs'), 'serve', '--port', '0'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', PACESETTER_KEY: testKey, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PACESETTER_DEMO_ENERGY: 'none', PACESETTER_DEMO_ACCESS: 'none', PACESETTER_DEMO_HEALTH: 'none', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /serving (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  const stopped = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    url,
    output: () => output,
    stop: async () => (child.kill('SIGTERM'), stopped),
    /** `kill -9`: no shutdown hook runs (the crash tests); resolves once the process is gone. */
    crash: async () => (child.kill('SIGKILL'), stopped),
    /** Whether the process is still running. */
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

