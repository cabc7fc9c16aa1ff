/**
 * Aligns two message sequences by key (e.g. `type:mmsi`), like `diff` aligns lines: the longest
 * common subsequence, found with Myers' O(ND) algorithm (E. Myers, "An O(ND) Difference
 * Algorithm and Its Variations", 1986). Messages one side dropped (gpsd rejecting a 162-bit type
 * 24, a fragment out of order) end up in `onlyA` / `onlyB`, and everything around them still pairs.
 * When the sequences differ in more than `maxEdits` places (a broken decoder), it falls back to a
 * greedy look-ahead so that the report still shows something.
 */
export interface Alignment {
  /** Index pairs [a, b], increasing in both. */
  readonly pairs: ReadonlyArray<readonly [number, number]>;
  readonly onlyA: readonly number[];
  readonly onlyB: readonly number[];
}

export function alignSequences(
  a: readonly string[],
  b: readonly string[],
  maxEdits = 4000,
): Alignment {
  return myers(a, b, maxEdits) ?? greedy(a, b);
}

function myers(
  a: readonly string[],
  b: readonly string[],
  maxEdits: number,
): Alignment | undefined {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxEdits);
  // v[k + offset] = furthest x on diagonal k; trace[d] = v over k ∈ [-d, d] before round d.
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return undefined;
}

function backtrack(trace: readonly Int32Array[], n: number, m: number): Alignment {
  const pairs: Array<readonly [number, number]> = [];
  const onlyA: number[] = [];
  const onlyB: number[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const snapshot = trace[d];
    if (snapshot === undefined) break;
    const at = (k: number): number => snapshot[k + d] ?? 0;
    const k = x - y;
    let prevK: number;
    if (d === 0) prevK = 0;
    else prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    if (d > 0) {
      if (x === prevX) onlyB.push(prevY);
      else onlyA.push(prevX);
    }
    x = prevX;
    y = prevY;
  }
  pairs.reverse();
  onlyA.reverse();
  onlyB.reverse();
  return { pairs, onlyA, onlyB };
}

/** Walks both sequences; on a mismatch, skips to the nearer re-synchronisation point. */
function greedy(a: readonly string[], b: readonly string[], window = 200): Alignment {
  const pairs: Array<readonly [number, number]> = [];
  const onlyA: number[] = [];
  const onlyB: number[] = [];
  let i = 0;
  let j = 0;
  const find = (s: readonly string[], from: number, key: string | undefined): number => {
    for (let t = from; t < Math.min(s.length, from + window); t++)
      if (s[t] === key) return t - from;
    return -1;
  };
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      pairs.push([i++, j++]);
      continue;
    }
    const skipB = find(b, j, a[i]);
    const skipA = find(a, i, b[j]);
    if (skipB < 0 && skipA < 0) {
      onlyA.push(i++);
      onlyB.push(j++);
    } else if (skipA < 0 || (skipB >= 0 && skipB <= skipA)) {
      for (let t = 0; t < skipB; t++) onlyB.push(j++);
    } else {
      for (let t = 0; t < skipA; t++) onlyA.push(i++);
    }
  }
  while (i < a.length) onlyA.push(i++);
  while (j < b.length) onlyB.push(j++);
  return { pairs, onlyA, onlyB };
}
