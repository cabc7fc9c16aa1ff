import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** gpsd's decoder (Debian `gpsd-clients`), the reference the decode figures are compared with. */
const GPSDECODE = process.env.GPSDECODE ?? 'gpsdecode';

/** `gpsdecode revision 3.22`, or undefined when it is not installed. */
export function gpsdecodeVersion(): string | undefined {
  const result = spawnSync(GPSDECODE, ['-V'], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) return undefined;
  // 3.22 prints its version on stderr.
  return `${result.stdout}${result.stderr}`.trim() || 'gpsdecode (version unknown)';
}

/**
 * Runs `gpsdecode ARGS < inputPath > /dev/null` to completion. Its output is discarded by the
 * kernel, so the wall time is decoding and formatting (plus one process start, a few ms).
 */
export function runGpsdecode(args: readonly string[], inputPath: string): void {
  const input = openSync(inputPath, 'r');
  try {
    // stderr is discarded too: gpsdecode complains about every message it cannot parse.
    const result = spawnSync(GPSDECODE, args, { stdio: [input, 'ignore', 'ignore'] });
    if (result.error !== undefined) throw result.error;
    if (result.status !== 0)
      throw new Error(`gpsdecode ${args.join(' ')} exited with ${result.status}.`);
  } finally {
    closeSync(input);
  }
}
