import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs a bench script (`bench/NAME.ts`) in its own Node process, through tsx, with `nodeFlags`
 * (heap size, --expose-gc, ...): a scenario with a big heap neither inherits the garbage of the
 * benchmarks before it nor leaves its own to the ones after. The script gets `input` as JSON in
 * argv[2] and prints its result as one JSON line, last on stdout; its stderr is passed through.
 */
export function runBenchChild<T>(
  script: string,
  input: unknown,
  nodeFlags: readonly string[] = [],
): Promise<T> {
  const path = resolve(PROJECT_ROOT, 'bench', script);
  return new Promise<T>((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeFlags, '--import', 'tsx', path, JSON.stringify(input)],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const out = Buffer.concat(chunks).toString('utf8').trim();
      if (code !== 0) {
        reject(new Error(`bench/${script} exited with ${code ?? signal}: ${out.slice(-2000)}`));
        return;
      }
      const last = out.slice(out.lastIndexOf('\n') + 1);
      try {
        resolvePromise(JSON.parse(last) as T);
      } catch (error) {
        reject(
          new Error(`bench/${script} printed no JSON result: ${last.slice(0, 500)}`, {
            cause: error,
          }),
        );
      }
    });
  });
}

/** In a child started by `runBenchChild`: its input, and how to hand back the result. */
export function childInput<T>(): T {
  const arg = process.argv[2];
  if (arg === undefined) throw new Error('bench child: no JSON input in argv[2].');
  return JSON.parse(arg) as T;
}

export function childResult(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
