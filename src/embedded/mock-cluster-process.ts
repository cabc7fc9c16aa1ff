import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { KafkaError } from '../io/kafka/kafka-error.js';
import { errorText } from '../util/error-text.js';

export interface MockClusterProcessOptions {
  /** Brokers in the cluster; default 1. */
  readonly brokers?: number;
  /** How long the child may take to print its address, milliseconds; default 30 000. */
  readonly startTimeoutMs?: number;
}

// Both src/embedded (run through tsx: tests, tools) and dist/embedded sit two folders below the
// package root, next to their own `mock-cluster-main` entry.
const runningFromSource = import.meta.url.endsWith('.ts');
const ENTRY = fileURLToPath(
  new URL(`./mock-cluster-main.${runningFromSource ? 'ts' : 'js'}`, import.meta.url),
);
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STDERR_TAIL_CHARS = 4096;

/**
 * A mock Kafka cluster (see `MockCluster`) in a child process, so that producers, the worker and
 * tests can each run in their own process against one cluster over TCP, as they would against a
 * real one. The child stops when `close()` is called or when this process exits (its stdin
 * closes).
 */
export class MockClusterProcess {
  readonly bootstrapServers: string;
  readonly pid: number;
  private readonly child: ChildProcess;
  private readonly exit: Promise<number | null>;

  private constructor(child: ChildProcess, bootstrapServers: string, exit: Promise<number | null>) {
    this.child = child;
    this.pid = child.pid!;
    this.bootstrapServers = bootstrapServers;
    this.exit = exit;
  }

  static async spawn(options: MockClusterProcessOptions = {}): Promise<MockClusterProcess> {
    const brokers = options.brokers ?? 1;
    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    const args = runningFromSource
      ? ['--import', 'tsx', ENTRY, String(brokers)]
      : [ENTRY, String(brokers)];
    const child = spawn(process.execPath, args, {
      cwd: PACKAGE_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderrTail = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    const exit = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : -1)));
    });
    const lines = createInterface({ input: child.stdout! });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no address within ${startTimeoutMs} ms`)),
          startTimeoutMs,
        );
        lines.once('line', (line) => {
          clearTimeout(timer);
          resolve(line);
        });
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        exit.then((code) => {
          clearTimeout(timer);
          reject(new Error(`exited with code ${code} before printing its address`));
        });
      });
      const parsed: unknown = JSON.parse(first);
      const servers = (parsed as { bootstrapServers?: unknown }).bootstrapServers;
      if (typeof servers !== 'string') throw new Error(`unexpected first line: ${first}`);
      // The child prints nothing more; keep draining stdout so it can never block on a full pipe.
      child.stdout!.resume();
      return new MockClusterProcess(child, servers, exit);
    } catch (error) {
      child.kill('SIGKILL');
      await exit;
      const detail = errorText(error);
      throw new KafkaError(
        'KAFKA_MOCK_CLUSTER',
        `Mock Kafka cluster process did not start: ${detail}${stderrTail ? `\n${stderrTail}` : ''}`,
        { cause: error },
      );
    } finally {
      lines.close();
    }
  }

  /** Resolves with the child's exit code when it has exited (by `close()` or otherwise). */
  exited(): Promise<number | null> {
    return this.exit;
  }

  /**
   * Stops the cluster (SIGTERM: the child closes its brokers and exits 0); SIGKILL if it has not
   * exited within `timeoutMs`. Resolves with the exit code. Idempotent.
   */
  async close(timeoutMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }
}
