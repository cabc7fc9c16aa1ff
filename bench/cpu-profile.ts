import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One function's share of a V8 CPU profile. */
export interface SelfTime {
  /** `name (file:line)`, file relative to the project. */
  function: string;
  /** Time sampled in the function itself (not its callees), percent of all samples. */
  selfPercent: number;
  selfMs: number;
}

/** The parts of a `.cpuprofile` (V8 Profiler.Profile) used here. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Runs `work` under V8's sampling CPU profiler (the one `node --cpu-prof` starts, here through
 * node:inspector so only `work` is sampled) and returns the functions by self time.
 */
export async function profileSelfTime(
  work: () => void,
  options: { intervalMicros?: number; top?: number; root?: string } = {},
): Promise<SelfTime[]> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: options.intervalMicros ?? 100 });
    await session.post('Profiler.start');
    work();
    const { profile } = await session.post('Profiler.stop');
    return summarizeProfile(profile as CpuProfile, options);
  } finally {
    session.disconnect();
  }
}

/** Self time per function (same name and place merged), highest first; idle time left out. */
export function summarizeProfile(
  profile: CpuProfile,
  options: { top?: number; root?: string } = {},
): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const micros = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  // The first delta runs from the profiler's start, not from a previous sample: left out.
  for (let i = 1; i < samples.length; i++) {
    const frame = byId.get(samples[i]!)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)') continue;
    const delta = Math.max(0, deltas[i] ?? 0);
    total += delta;
    const key = describeFrame(frame, options.root);
    micros.set(key, (micros.get(key) ?? 0) + delta);
  }
  return [...micros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.top ?? 15)
    .map(([name, us]) => ({
      function: name,
      selfPercent: total === 0 ? 0 : (100 * us) / total,
      selfMs: us / 1000,
    }));
}

function describeFrame(
  frame: CpuProfile['nodes'][number]['callFrame'],
  root: string | undefined,
): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  let file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  if (root !== undefined && file.startsWith(root)) file = relative(root, file);
  // Code run through a loader (tsx) may report line 0 everywhere: then the file alone.
  return frame.lineNumber > 0 ? `${name} (${file}:${frame.lineNumber + 1})` : `${name} (${file})`;
}
