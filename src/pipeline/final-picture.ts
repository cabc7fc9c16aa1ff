import type { Alert } from '../detect/alert.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { FusionCore } from './fusion-core.js';

/**
 * What `replay` keeps of one core's output (DESIGN.md §2.1): the final revision of every alert,
 * and the final state of every vessel — the ones the core forgot after days of silence too, since
 * they still belong in the final picture.
 */
export class FinalPicture {
  private readonly latest = new Map<string, Alert>();
  private readonly forgotten = new Map<number, VesselTrack>();

  /** Every new alert and every revision of one (CoreOutput.alert). */
  alert(alert: Alert): void {
    this.latest.set(alert.id, alert);
  }

  /** A vessel the core forgot (CoreOutput.evicted). */
  evicted(track: VesselTrack): void {
    this.forgotten.set(track.mmsi, track);
  }

  /** The final revision of every alert, by start time then id. */
  alerts(): Alert[] {
    return [...this.latest.values()].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  }

  /** Final fused state of every vessel, by MMSI: the core's live tracks over the forgotten ones. */
  tracks(core: FusionCore): VesselTrack[] {
    const all = new Map(this.forgotten);
    for (const [mmsi, track] of core.tracks) all.set(mmsi, track);
    return [...all.values()].sort((a, b) => a.mmsi - b.mmsi);
  }
}
