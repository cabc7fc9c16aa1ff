import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/io/free-port.js';
import type { WorkerConfigFile } from '../src/worker/worker-config.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(PROJECT_ROOT, 'src/cli/main.ts');
const EXIT_WITH_PARENT = join(PROJECT_ROOT, 'bench/exit-with-parent.ts');
const STDERR_TAIL_CHARS = 8192;

export interface WorkerProcessOptions {
  /** The configuration file's document (written as JSON to `configPath`). */
  readonly config: WorkerConfigFile;
  readonly configPath: string;
  readonly brokers: string;
  readonly databaseUrl: string;
  /** Extra Node.js options for the worker process (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

/**
 * `tidewatch run` (src/cli/main.ts through tsx, so always the current source) in a process of
 * its own, as production runs it: configuration file, KAFKA_BROKERS, DATABASE_URL, JSON logs at
 * `warn` on stderr (kept, the tail shown if it fails). Observed from outside only, through its
 * `/metrics` and `/readyz`. It stops when `stop()` is called or when this process exits.
 */
export class WorkerProcess {
  readonly metricsUrl: string;
  private readonly child: ChildProcess;
  private readonly exit: Promise<number | null>;
  private exitCode: number | null | undefined;
  private stopping = false;
  private stderrTail = '';
  /** Warnings logged as "input paused" (backpressure: the sinks fell behind). */
  pausedWarnings = 0;

  private constructor(child: ChildProcess, metricsUrl: string) {
    this.child = child;
    this.metricsUrl = metricsUrl;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
      if (text.includes('input paused')) this.pausedWarnings++;
    });
    this.exit = new Promise((resolvePromise) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal === null ? null : -1);
        resolvePromise(this.exitCode);
      });
    });
  }

  static async start(options: WorkerProcessOptions): Promise<WorkerProcess> {
    const port = await freePort();
    const config: WorkerConfigFile = {
      ...options.config,
      metrics: { port, host: '127.0.0.1' },
    };
    writeFileSync(options.configPath, JSON.stringify(config, null, 2));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: options.brokers,
      DATABASE_URL: options.databaseUrl,
      TIDEWATCH_LOG_LEVEL: 'warn',
    };
    delete env.TIDEWATCH_CONFIG;
    const child = spawn(
      process.execPath,
      [
        ...(options.nodeArgs ?? []),
        '--import',
        'tsx',
        '--import',
        EXIT_WITH_PARENT,
        CLI,
        'run',
        '--config',
        options.configPath,
      ],
      { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    await new Promise<void>((resolvePromise, reject) => {
      child.once('spawn', resolvePromise);
      child.once('error', reject);
    });
    return new WorkerProcess(child, `http://127.0.0.1:${port}`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** True once the process has exited (it runs until stopped: anything else is a failure). */
  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /**
   * The worker's `/metrics` text. Throws when the process has exited. A connection error is
   * tried again (up to 3 times): when the worker's loop was held for seconds (a large history
   * flush being prepared), the server's keep-alive timeout closes the idle socket just as the
   * next poll reuses it; `scrapeRetries` counts these.
   */
  async scrape(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      this.assertRunning();
      let response: Response;
      try {
        response = await fetch(`${this.metricsUrl}/metrics`);
      } catch (error) {
        if (attempt >= 3 || this.exited) throw error;
        this.scrapeRetries++;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (!response.ok) throw new Error(`worker /metrics answered ${response.status}`);
      return response.text();
    }
  }

  /** Polls of `/metrics` that failed to connect and were tried again. */
  scrapeRetries = 0;

  /** Waits for `/readyz` to answer 200 (partitions assigned, sinks writing). */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    for (;;) {
      this.assertRunning();
      try {
        const response = await fetch(`${this.metricsUrl}/readyz`);
        if (response.status === 200) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) {
        throw new Error(`worker not ready after ${timeoutMs} ms (${last})${this.tail()}`);
      }
      await sleep(20);
    }
  }

  /** Throws, with the end of its log, if the worker has exited (it runs until stopped). */
  assertRunning(): void {
    if (this.exitCode !== undefined) {
      throw new Error(`tidewatch run exited with ${this.exitCode}${this.tail()}`);
    }
  }

  /**
   * SIGTERM (the worker flushes, commits and closes), SIGKILL after `graceMs`. Resolves with the
   * exit code. Idempotent.
   */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    if (!this.stopping) {
      this.stopping = true;
      this.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The end of the worker's stderr, for error messages. */
  tail(): string {
    const text = this.stderrTail.trim();
    return text === '' ? '' : `\n--- tidewatch run stderr (end) ---\n${text}`;
  }
}
