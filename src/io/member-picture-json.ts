import { zoneSharedWith } from '../coalition/audience-filter.js';
import type { Coalition } from '../coalition/coalition.js';
import { type Alert, alertToJson } from '../detect/alert.js';
import type { MemberRegistry } from '../fusion/member-registry.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import { trackToJson } from './track-json.js';

/** An alert of a member's picture as NDJSON: the alert (DESIGN.md §2.4) and the policy version. */
export function memberAlertJson(alert: Alert, policyVersion: string): Record<string, unknown> {
  return { ...alertToJson(alert), policyVersion };
}

/**
 * A track of a member's picture as NDJSON (DESIGN.md §2.5, §6): its `zones` leave out the private
 * zones of member sets `member` is not in (the zone id alone would tell it where another set
 * watches), and it carries the policy version.
 */
export function memberTrackJson(
  track: VesselTrack,
  members: MemberRegistry,
  zones: ZoneIndex | undefined,
  coalition: Coalition,
  member: string,
  policyVersion: string,
): Record<string, unknown> {
  const json = trackToJson(track, members, zones);
  json.zones = (json.zones as string[]).filter((id) => zoneSharedWith(coalition, id, member));
  json.policyVersion = policyVersion;
  return json;
}
