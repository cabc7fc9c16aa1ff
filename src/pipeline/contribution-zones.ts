import type { AisMessage } from '../ais/ais-message.js';
import type { ZoneIndex } from '../zones/zone-index.js';

/** Vessel positions the store starts with room for; it doubles when full. */
const INITIAL_SLOTS = 1024;

/**
 * Where a contribution is judged for `inside` release rules (DESIGN.md §6): the zones it counts
 * as positioned in. This is the one definition; the pictures (picture-set.ts) and the tests'
 * "visible input" both ask it.
 *
 * - A message with a position of its own (lat and lon present, not 0,0 — the "no fix" some
 *   transponders send, DESIGN.md §3) is judged where it says it is.
 * - A message without one (static and voyage data, types 5 and 24; a position report with no
 *   fix) is judged at the same contributor's last position of that MMSI, in feed order: the
 *   static data of a vessel in a territorial sea stays there with its positions.
 * - Without any earlier position from that contributor, nobody knows where it is: it counts as
 *   inside every zone, so the most restrictive of the contributor's `inside` rules applies
 *   (withheld wherever any rule withholds). Never released wider than a positioned report.
 *
 * Positions are kept per contributor and MMSI (16 bytes and a map entry per vessel each
 * contributor has heard), so a contributor's reports are judged on what it heard itself, not on
 * what another member's feed said.
 */
export class ContributionZones {
  /** Key `mmsi * contributors + contributor` → slot in `positions`. */
  private readonly slotByKey = new Map<number, number>();
  /** [slot * 2] lat, [slot * 2 + 1] lon. */
  private positions = new Float64Array(INITIAL_SLOTS * 2);

  constructor(
    private readonly zones: ZoneIndex | undefined,
    /** Contributors are numbered 0 .. contributors-1 by the caller. */
    private readonly contributors: number,
  ) {}

  /** Vessel positions remembered, over all contributors. */
  get remembered(): number {
    return this.slotByKey.size;
  }

  /**
   * Writes into `out` the zone-index positions (ZoneIndex.zones) of the zones the contribution
   * of `m` by contributor number `contributor` is judged inside, and returns how many. Call it
   * for every message of a contributor, in its feed's order: it remembers the last position.
   */
  zonesOf(m: AisMessage, contributor: number, out: number[]): number {
    const zones = this.zones;
    const key = m.mmsi * this.contributors + contributor;
    const lat = m.lat;
    const lon = m.lon;
    if (lat !== undefined && lon !== undefined && !(lat === 0 && lon === 0)) {
      let slot = this.slotByKey.get(key);
      if (slot === undefined) {
        slot = this.slotByKey.size;
        this.slotByKey.set(key, slot);
        if (slot * 2 >= this.positions.length) this.grow();
      }
      this.positions[slot * 2] = lat;
      this.positions[slot * 2 + 1] = lon;
      return zones === undefined ? 0 : zones.zonesAt(lon, lat, out);
    }
    if (zones === undefined) return 0;
    const slot = this.slotByKey.get(key);
    if (slot !== undefined) {
      return zones.zonesAt(this.positions[slot * 2 + 1]!, this.positions[slot * 2]!, out);
    }
    const count = zones.zones.length;
    for (let i = 0; i < count; i++) out[i] = i;
    return count;
  }

  private grow(): void {
    const bigger = new Float64Array(this.positions.length * 2);
    bigger.set(this.positions);
    this.positions = bigger;
  }
}
