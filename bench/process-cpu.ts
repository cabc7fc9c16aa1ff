import { readdirSync, readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc reports CPU times in these ticks per second. */
const TICKS_PER_SECOND = 100;

/** What `/proc/PID/stat` tells of a process's parent and CPU time; undefined once it is gone. */
interface ProcStat {
  parent: number;
  /** user + system, every thread. */
  seconds: number;
  /** user + system of its children that exited and were waited for. */
  reapedSeconds: number;
}

function procStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces): state is field 3, ppid 4, utime 14,
  // stime 15, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    parent: Number(fields[1]),
    seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    reapedSeconds: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
  };
}

/**
 * CPU seconds (user + system, every thread) each of `pids` has used so far, from
 * `/proc/PID/stat`; a process that is gone, or a system without /proc, counts 0.
 */
export function cpuSeconds(pids: readonly number[]): number {
  let seconds = 0;
  for (const pid of pids) seconds += procStat(pid)?.seconds ?? 0;
  return seconds;
}

/** Every process under `root` (children, their children, …), not `root` itself. */
export function descendantPids(root: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = procStat(Number(entry))?.parent;
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Processes whose command is `name` (`postgres`: the server and its backends). */
function pidsNamed(name: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'latin1').trim() === name) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Postgres's auxiliary processes, as their command lines name them. */
const AUXILIARY = [
  'checkpointer',
  'background writer',
  'walwriter',
  'autovacuum launcher',
  'autovacuum worker',
  'logical replication launcher',
  'parallel worker',
  'archiver',
  'walsender',
];

/** Every Postgres process on the machine (each server's), its kind and CPU so far. */
export interface PostgresCpu {
  processes: Map<number, { kind: string; seconds: number }>;
  /** CPU of server processes that exited and were waited for (the postmasters' children). */
  exitedSeconds: number;
}

export function readPostgresCpu(): PostgresCpu {
  const processes = new Map<number, { kind: string; seconds: number }>();
  let exitedSeconds = 0;
  const pids = pidsNamed('postgres');
  const all = new Set(pids);
  for (const pid of pids) {
    const stat = procStat(pid);
    if (stat === undefined) continue;
    let kind = 'client backends';
    if (!all.has(stat.parent)) {
      kind = 'postmaster';
      exitedSeconds += stat.reapedSeconds;
    } else {
      let command = '';
      try {
        command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ').trim();
      } catch {
        continue;
      }
      kind = AUXILIARY.find((name) => command.endsWith(`: ${name}`)) ?? kind;
    }
    processes.set(pid, { kind, seconds: stat.seconds });
  }
  return { processes, exitedSeconds };
}

/**
 * Postgres CPU seconds by kind of process between `before` and now: a process started meanwhile
 * counts whole, one that exited counts under "exited processes" (from its postmaster's account).
 */
export function postgresCpuSince(before: PostgresCpu): Map<string, number> {
  const now = readPostgresCpu();
  const byKind = new Map<string, number>();
  for (const [pid, { kind, seconds }] of now.processes) {
    const used = seconds - (before.processes.get(pid)?.seconds ?? 0);
    byKind.set(kind, (byKind.get(kind) ?? 0) + used);
  }
  const exited = now.exitedSeconds - before.exitedSeconds;
  if (exited > 0) byKind.set('exited processes', exited);
  return byKind;
}

/** The sum of a `postgresCpuSince` breakdown. */
export function totalSeconds(byKind: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const seconds of byKind.values()) total += seconds;
  return total;
}

/** Peak resident memory of a process so far (`VmHWM`), bytes; undefined once it is gone. */
export function peakResidentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}
