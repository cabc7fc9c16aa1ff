import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Coalition } from '../coalition/coalition.js';
import { COALITION_OUTPUTS } from '../coalition/coalition-output.js';
import { loadCoalitionFile, requireCoalitionZones } from '../io/coalition-file.js';
import type { DeadLetterFile } from '../io/dead-letter-file.js';
import { memberAlertJson, memberTrackJson } from '../io/member-picture-json.js';
import { writeNdjson } from '../io/ndjson-file.js';
import { replayCoalition } from '../pipeline/coalition-replay.js';
import type { CoreConfig } from '../pipeline/core-config.js';
import { defaultDetectors } from '../pipeline/default-detectors.js';
import { deliverToMembers } from '../pipeline/member-delivery.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import type { ProgressReporter } from './progress-reporter.js';
import { countsText, feedSummary } from './replay-summary.js';

export interface CoalitionReplayCommand {
  feeds: { member: string; path: string }[];
  config: CoreConfig;
  zones: ZoneIndex | undefined;
  out: string;
  coalitionPath: string;
  /** Date.now() at the command's start. */
  started: number;
}

/**
 * `tidewatch replay --coalition FILE` (DESIGN.md §6, issue 13): one picture per distinct
 * visibility, each member's outputs in `--out/<member>/alerts.ndjson` and `tracks.ndjson`, every
 * record with the policy version; a feed of a member the file does not know is dead-lettered
 * line by line as `unknown_member`. Prints the pictures and, side by side, what each member
 * received.
 */
export async function runCoalitionReplay(
  command: CoalitionReplayCommand,
  deadLetters: DeadLetterFile,
  progress: ProgressReporter,
  onProgress: (bytesRead: number) => void,
): Promise<number> {
  const { zones, out } = command;
  let coalition: Coalition;
  try {
    coalition = loadCoalitionFile(command.coalitionPath, zones?.zones);
    requireCoalitionZones(coalition, zones);
  } catch (error) {
    await deadLetters.close();
    throw error;
  }
  const result = await replayCoalition({
    feeds: command.feeds,
    coalition,
    zones,
    config: command.config,
    detectors: defaultDetectors(command.config),
    onReject: deadLetters.reject,
    onProgress,
  });
  progress.done();
  await deadLetters.close();

  const { set } = result;
  const members = deliverToMembers(coalition, set.pictures, result.pictures, zones);
  for (const picture of members) {
    const dir = join(out, picture.member);
    mkdirSync(dir, { recursive: true });
    await writeNdjson(
      join(dir, 'alerts.ndjson'),
      picture.alerts.map((alert) => memberAlertJson(alert, set.version)),
    );
    const core = picture.trackPicture < 0 ? undefined : set.cores[picture.trackPicture]!;
    await writeNdjson(
      join(dir, 'tracks.ndjson'),
      core === undefined
        ? []
        : picture.tracks.map((track) =>
            memberTrackJson(track, core.members, zones, coalition, picture.member, set.version),
          ),
    );
  }

  const { lines, lineCount, rejectedByReason } = feedSummary(result.feeds);
  const rejected = new Map<string, number>(rejectedByReason);
  let unknownLines = 0;
  for (const feed of result.unknownFeeds) {
    unknownLines += feed.lines;
    lines.push(
      `  feed ${feed.member} ${feed.path}: ${feed.lines} lines, all rejected (unknown_member: not in ${command.coalitionPath})`,
    );
  }
  rejected.set('unknown_member', unknownLines);

  const pictureLines = result.pictures.map(({ picture, core, alerts, tracks }) => {
    const audiences = picture.audiences.map((a) => `${a.module}/${a.member}`).join(', ');
    return `    ${picture.id} (${audiences}): ${core.stats.reports} reports fused, ${tracks.length} vessels, ${alerts.length} alerts`;
  });

  // Per member, side by side: a count per output, '-' where no module delivers it.
  const header = ['output', ...members.map((m) => m.member)];
  const rows = COALITION_OUTPUTS.map((output) => [
    output,
    ...members.map((m) => {
      if (!m.sources.has(output)) return '-';
      const count =
        output === 'tracks'
          ? m.tracks.length
          : m.alerts.filter((alert) => alert.kind === output).length;
      return String(count);
    }),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const table = [header, ...rows].map((row) =>
    `    ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd(),
  );

  const stats = set.cores.map((core) => core.stats);
  process.stdout.write(
    [
      `replay: ${lineCount + unknownLines} lines read from ${command.feeds.length} feed(s) in ${((Date.now() - command.started) / 1000).toFixed(1)} s`,
      `  coalition ${command.coalitionPath}, policy version ${set.version}`,
      ...lines,
      `  rejected: ${countsText(rejected)} (dead letters in ${join(out, 'rejected.ndjson')})`,
      `  pictures: ${set.policyPictures.classes.length} distinct for ${set.pictures.audiences.length} audiences (module/member), computed as ${set.cores.length} (those that differ only in members without a feed are one); ${stats.reduce((n, s) => n + s.reports, 0)} reports fused over all of them`,
      ...pictureLines,
      `  per member (${join(out, '<member>', 'alerts.ndjson')} and tracks.ndjson; - = not received):`,
      ...table,
      '',
    ].join('\n'),
  );
  return 0;
}
