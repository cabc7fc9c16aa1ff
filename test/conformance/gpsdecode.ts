import { spawnSync } from 'node:child_process';

/** The gpsd release the stored references come from (Debian gpsd-clients). */
export const REFERENCE_VERSION = '3.22';

/** `gpsdecode -V` revision, or undefined when gpsdecode is not on PATH. */
export function gpsdecodeVersion(): string | undefined {
  const probe = spawnSync('gpsdecode', ['-V'], { encoding: 'utf8' });
  if (probe.error !== undefined) return undefined;
  return /revision\s+(\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1] ?? 'unknown';
}

/** Why the live cross-check cannot run here, or undefined when gpsdecode 3.22 is available. */
export function gpsdecodeUnavailable(): string | undefined {
  const version = gpsdecodeVersion();
  if (version === undefined) return 'gpsdecode is not on PATH (apt-get install gpsd-clients)';
  if (version !== REFERENCE_VERSION) {
    return `gpsdecode ${version} is not ${REFERENCE_VERSION}, the version of the stored references`;
  }
  return undefined;
}

/** `gpsdecode -j < input`: gpsd's JSON, one report per line. */
export function runGpsdecode(input: Uint8Array): string {
  const run = spawnSync('gpsdecode', ['-j'], {
    input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.error !== undefined) throw new Error('gpsdecode failed to run.', { cause: run.error });
  if (run.status !== 0) throw new Error(`gpsdecode exited with ${run.status}: ${run.stderr}`);
  return run.stdout;
}
