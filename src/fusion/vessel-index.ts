import RBush from 'rbush';
import { distanceMeters, metersToLatDegrees, metersToLonDegrees } from '../geo/geodesy.js';
import type { VesselTrack } from './vessel-track.js';

/** A vessel in the tree: a slack box around the fix it was inserted at (rbush's BBox fields). */
interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  track: VesselTrack;
}

/** rbush's node, as `toJSON()` returns the root (the documented serialisation format). */
interface TreeNode {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  leaf: boolean;
  children: (TreeNode | Entry)[];
}

/** Beyond this latitude a query box spans every longitude (the degree box degenerates). */
const POLAR_LATITUDE = 89;

/**
 * Neighbour queries over live vessel positions (issue 3): an rbush of slack boxes. A vessel is
 * inserted with a box of ±`slackMeters` around its fix and stays in the tree, untouched, until a
 * fix leaves that box; only then does it pay rbush's remove + insert. Anchored and moored
 * vessels (GPS jitter of metres) never move in the tree; a vessel at 15 kn reporting every 10 s
 * moves once in 250 m / 77 m ≈ 3 reports instead of every report (`bench/vessel-index.bench.ts`
 * measures the saving and the query cost the slack adds). The tree only narrows the search:
 * `near` tests the vessel's current position, so results are exact whatever the slack.
 */
export class VesselIndex {
  private readonly tree: RBush<Entry>;
  private readonly entries = new Map<number, Entry>();
  private readonly stack: TreeNode[] = [];
  /** Slack-box re-insertions (first insertions included): what the slack saves is the rest. */
  reinserts = 0;

  constructor(
    /** Half-width of the box a vessel may move in before it is re-inserted, metres. */
    readonly slackMeters = 250,
  ) {
    if (!(slackMeters >= 0) || !Number.isFinite(slackMeters)) {
      throw new RangeError(`Unexpected slackMeters value: ${slackMeters}.`);
    }
    this.tree = new RBush<Entry>();
  }

  /** Vessels in the index. */
  get size(): number {
    return this.entries.size;
  }

  has(track: VesselTrack): boolean {
    return this.entries.has(track.mmsi);
  }

  /**
   * Adds the vessel or follows its latest fix (`track.lat`, `track.lon`); a track without a fix
   * is removed. Cheap when the vessel is still inside its slack box: one map look-up and four
   * comparisons.
   */
  update(track: VesselTrack): void {
    const lat = track.lat;
    const lon = track.lon;
    let entry = this.entries.get(track.mmsi);
    if (entry !== undefined) {
      entry.track = track;
      if (lon >= entry.minX && lon <= entry.maxX && lat >= entry.minY && lat <= entry.maxY) return;
      this.tree.remove(entry);
    }
    if (Number.isNaN(lat) || Number.isNaN(lon)) {
      if (entry !== undefined) this.entries.delete(track.mmsi);
      return;
    }
    const dLat = metersToLatDegrees(this.slackMeters);
    const dLon = metersToLonDegrees(this.slackMeters, lat);
    if (entry === undefined) {
      entry = { minX: lon - dLon, minY: lat - dLat, maxX: lon + dLon, maxY: lat + dLat, track };
      this.entries.set(track.mmsi, entry);
    } else {
      entry.minX = lon - dLon;
      entry.minY = lat - dLat;
      entry.maxX = lon + dLon;
      entry.maxY = lat + dLat;
    }
    this.reinserts++;
    this.tree.insert(entry);
  }

  /** Forgets the vessel (no-op when absent). */
  remove(track: VesselTrack): void {
    const entry = this.entries.get(track.mmsi);
    if (entry === undefined) return;
    this.tree.remove(entry);
    this.entries.delete(track.mmsi);
  }

  /**
   * Writes into `out` (from index 0) every indexed vessel whose current fix lies within
   * `radiusMeters` (great circle) of (lat, lon), and returns how many; `out` keeps its length,
   * entries past the count are stale. No allocation once `out` has grown.
   */
  near(lat: number, lon: number, radiusMeters: number, out: VesselTrack[]): number {
    // Every point within the radius lies in this degree box (the longitude span is taken at the
    // box's poleward edge, where a metre is the most degrees); the slack boxes of the vessels
    // that are there intersect it. Near the antimeridian the box is searched on both sides (a
    // vessel's box lies within its slack of its fix, so it is found on one side only).
    const dLat = metersToLatDegrees(radiusMeters);
    const minY = lat - dLat;
    const maxY = lat + dLat;
    const poleward = Math.abs(lat) + dLat;
    if (poleward >= POLAR_LATITUDE) {
      return this.search(-540, minY, 540, maxY, lat, lon, radiusMeters, out, 0);
    }
    const dLon = metersToLonDegrees(radiusMeters, poleward);
    const minX = lon - dLon;
    const maxX = lon + dLon;
    let count = this.search(minX, minY, maxX, maxY, lat, lon, radiusMeters, out, 0);
    if (minX < -180) {
      count = this.search(minX + 360, minY, 540, maxY, lat, lon, radiusMeters, out, count);
    }
    if (maxX > 180) {
      count = this.search(-540, minY, maxX - 360, maxY, lat, lon, radiusMeters, out, count);
    }
    return count;
  }

  /** rbush's search (explicit stack, no result array) with the exact distance test at the leaves. */
  private search(
    minX: number,
    minY: number,
    maxX: number,
    maxY: number,
    lat: number,
    lon: number,
    radiusMeters: number,
    out: VesselTrack[],
    count: number,
  ): number {
    const stack = this.stack;
    let node = this.tree.toJSON() as TreeNode | undefined;
    if (node === undefined || !intersects(node, minX, minY, maxX, maxY)) return count;
    stack.length = 0;
    while (node !== undefined) {
      const children = node.children;
      if (node.leaf) {
        for (let i = 0; i < children.length; i++) {
          const entry = children[i] as Entry;
          if (!intersects(entry, minX, minY, maxX, maxY)) continue;
          const track = entry.track;
          if (distanceMeters(lat, lon, track.lat, track.lon) <= radiusMeters) {
            if (count < out.length) out[count] = track;
            else out.push(track);
            count++;
          }
        }
      } else {
        for (let i = 0; i < children.length; i++) {
          const child = children[i] as TreeNode;
          if (intersects(child, minX, minY, maxX, maxY)) stack.push(child);
        }
      }
      node = stack.pop();
    }
    return count;
  }
}

function intersects(
  box: { minX: number; minY: number; maxX: number; maxY: number },
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
): boolean {
  return box.minX <= maxX && box.minY <= maxY && box.maxX >= minX && box.maxY >= minY;
}
