import type pg from 'pg';
import { expect } from 'vitest';
import type { Coalition } from '../../../src/coalition/coalition.js';
import { memberRoleName } from '../../../src/coalition/member-id.js';
import type { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { loadCoalitionFile } from '../../../src/io/coalition-file.js';
import { decodeAlert } from '../../../src/io/protobuf/alert-codec.js';
import { decodeFusedTrack } from '../../../src/io/protobuf/fused-track-codec.js';
import {
  decodeRejectedLine,
  type RejectedLineMessage,
} from '../../../src/io/protobuf/rejected-line-codec.js';
import { replayCoalition } from '../../../src/pipeline/coalition-replay.js';
import { DEFAULT_CORE_CONFIG } from '../../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../../src/pipeline/default-detectors.js';
import { deliverToMembers } from '../../../src/pipeline/member-delivery.js';
import {
  readToEnd,
  subscribedConsumer,
  TEST_SESSION_TIMEOUT_MS,
} from '../kafka/kafka-test-support.js';
import type { Scenario } from '../postgres/scenario-run.js';

/**
 * One member's picture, compared field by field (issue 13): alerts by `kind mmsi zone start end`,
 * tracks by MMSI → `sources reportCount`.
 */
export interface MemberView {
  readonly alerts: string[];
  readonly tracks: Map<number, string>;
}

/** `replay --coalition`'s `DIR/<member>/` files, as MemberViews: the replay code, run here. */
export async function replayedMembers(
  scenario: Scenario,
  coalitionPath: string,
): Promise<{ coalition: Coalition; version: string; members: Map<string, MemberView> }> {
  const coalition = loadCoalitionFile(coalitionPath, scenario.zones.zones);
  const result = await replayCoalition({
    feeds: scenario.feeds,
    coalition,
    zones: scenario.zones,
    config: DEFAULT_CORE_CONFIG,
    detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
  });
  const delivered = deliverToMembers(
    coalition,
    result.set.pictures,
    result.pictures,
    scenario.zones,
  );
  const members = new Map<string, MemberView>();
  for (const picture of delivered) {
    const registry =
      picture.trackPicture < 0 ? undefined : result.pictures[picture.trackPicture]!.core.members;
    members.set(picture.member, {
      alerts: picture.alerts.map(alertKey).sort(),
      tracks: new Map(
        picture.tracks.map((track) => [
          track.mmsi,
          `${registry!.idsOf(track.sourceSet).join(',')} ${track.reportCount}`,
        ]),
      ),
    });
  }
  return { coalition, version: result.set.version, members };
}

function alertKey(alert: {
  kind: string;
  mmsi: number;
  zoneId?: string | undefined;
  start: number;
  end?: number | undefined;
}): string {
  return `${alert.kind} ${alert.mmsi} ${alert.zoneId ?? '-'} ${alert.start} ${alert.end ?? 'open'}`;
}

/** What the members' topics hold, read to their end. */
export interface TopicsRead {
  readonly members: Map<string, MemberView>;
  /** Policy versions seen on member topics (one expected). */
  readonly versions: Set<string>;
  /** Messages on the coalition-less `tracks.fused` / `alerts` (none expected). */
  readonly plainMessages: number;
  readonly rejected: RejectedLineMessage[];
  /** Tombstones (withdrawn vessels and alerts) per member. */
  readonly tombstones: Map<string, number>;
}

/**
 * Reads every `<alerts>.<member>` and `<fused>.<member>` topic to its end, as an operations centre
 * would: per member, the last message of each alert id and of each vessel (a tombstone: withdrawn,
 * it left the member's area).
 */
export async function readMemberTopics(
  cluster: MockCluster,
  members: readonly string[],
  topics: { fused: string; alerts: string; rejected: string },
  groupId: string,
): Promise<TopicsRead> {
  const alertsOf = new Map<string, string>();
  const tracksOf = new Map<string, string>();
  for (const member of members) {
    alertsOf.set(`${topics.alerts}.${member}`, member);
    tracksOf.set(`${topics.fused}.${member}`, member);
  }
  const finalAlerts = new Map<string, Map<string, ReturnType<typeof decodeAlert>>>();
  const lastTracks = new Map<string, Map<number, string>>();
  for (const member of members) {
    finalAlerts.set(member, new Map());
    lastTracks.set(member, new Map());
  }
  const versions = new Set<string>();
  const rejected: RejectedLineMessage[] = [];
  let plainMessages = 0;
  const tombstones = new Map<string, number>();
  const tombstone = (member: string) => tombstones.set(member, (tombstones.get(member) ?? 0) + 1);
  const literal = (topic: string) => topic.replaceAll('.', '\\.');
  const reader = await subscribedConsumer({
    bootstrapServers: cluster.bootstrapServers,
    groupId,
    topics: [
      new RegExp(`^${literal(topics.alerts)}(\\..*)?$`),
      new RegExp(`^${literal(topics.fused)}(\\..*)?$`),
      // '': dead letters off.
      ...(topics.rejected === '' ? [] : [topics.rejected]),
    ],
    sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
  });
  try {
    await readToEnd(reader, 60_000, (batch) => {
      for (const part of batch.partitions) {
        const alertMember = alertsOf.get(part.topic);
        const trackMember = tracksOf.get(part.topic);
        for (const message of part.messages) {
          if (part.topic === topics.rejected) {
            rejected.push(decodeRejectedLine(message.value!));
          } else if (alertMember !== undefined) {
            if (message.value === null || message.value === undefined) {
              // Withdrawn: a revision moved it out of the member's area.
              finalAlerts.get(alertMember)!.delete(message.key!.toString());
              tombstone(alertMember);
              continue;
            }
            const alert = decodeAlert(message.value);
            versions.add(alert.policyVersion ?? '(none)');
            // The last message of a key is its state (one partition per key, in order).
            finalAlerts.get(alertMember)!.set(alert.id, alert);
          } else if (trackMember !== undefined) {
            const mmsi = Number(message.key!.toString());
            const byMmsi = lastTracks.get(trackMember)!;
            if (message.value === null || message.value === undefined) {
              byMmsi.delete(mmsi);
              tombstone(trackMember);
              continue;
            }
            const track = decodeFusedTrack(message.value);
            versions.add(track.policyVersion ?? '(none)');
            byMmsi.set(mmsi, `${track.sources.join(',')} ${track.reportCount}`);
          } else {
            plainMessages++;
          }
        }
      }
    });
  } finally {
    await reader.close();
  }
  const views = new Map<string, MemberView>();
  for (const member of members) {
    views.set(member, {
      alerts: [...finalAlerts.get(member)!.values()].map(alertKey).sort(),
      tracks: lastTracks.get(member)!,
    });
  }
  return { members: views, versions, plainMessages, rejected, tombstones };
}

/** Each member's view as `{ alerts, tracks }` plain data, for a readable diff. */
export function plainViews(views: Map<string, MemberView>): Record<string, unknown> {
  return Object.fromEntries(
    [...views].map(([member, view]) => [
      member,
      {
        alerts: view.alerts,
        tracks: Object.fromEntries([...view.tracks].sort((a, b) => a[0] - b[0])),
      },
    ]),
  );
}

/**
 * The history, read as each member's role (row-level security, stored pictures), equals the
 * member's replay picture: its alerts (final revisions) and positions, each with the policy
 * version, and, for a member without an area, exactly its replay vessels' positions (one row per distinct position
 * report of its picture). `label` names the run in a failure (a seed). Returns how many alert and
 * position rows it compared, for the caller to check the comparison was not of nothing.
 */
export async function expectMemberRows(
  pool: pg.Pool,
  expected: { coalition: Coalition; version: string; members: Map<string, MemberView> },
  label = '',
): Promise<number> {
  let compared = 0;
  const client = await pool.connect();
  try {
    for (const [member, want] of expected.members) {
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE ${memberRoleName(member)}`);
      const alerts = await client.query<{ key: string; policy_version: string | null }>(
        `SELECT kind || ' ' || mmsi || ' ' || coalesce(zone_id, '-') || ' ' ||
                (extract(epoch FROM start_time) * 1000)::bigint || ' ' ||
                coalesce(((extract(epoch FROM end_time) * 1000)::bigint)::text, 'open') AS key,
                policy_version
           FROM alerts`,
      );
      const positions = await client.query<{ mmsi: number; n: number }>(
        'SELECT mmsi, count(*)::int AS n FROM positions GROUP BY mmsi',
      );
      const versions = await client.query<{ policy_version: string | null }>(
        'SELECT DISTINCT policy_version FROM positions',
      );
      await client.query('COMMIT');
      compared += alerts.rows.length;
      const name = `${label} ${member}`.trim();
      expect(alerts.rows.map((row) => row.key).sort(), `${name}'s alerts`).toEqual(want.alerts);
      for (const row of alerts.rows) {
        expect(row.policy_version, `${name}'s alert policy version`).toBe(expected.version);
      }
      for (const row of versions.rows) {
        expect(row.policy_version, `${name}'s position policy version`).toBe(expected.version);
      }
      if (expected.coalition.members.find((m) => m.id === member)!.area !== undefined) continue;
      const reports = new Map<number, number>();
      for (const [mmsi, value] of want.tracks) {
        const count = Number(value.split(' ').at(-1));
        if (count > 0) reports.set(mmsi, count);
      }
      expect(
        new Map(positions.rows.map((row) => [row.mmsi, row.n])),
        `${name}'s positions per vessel`,
      ).toEqual(reports);
      for (const row of positions.rows) compared += row.n;
    }
  } finally {
    client.release();
  }
  return compared;
}
