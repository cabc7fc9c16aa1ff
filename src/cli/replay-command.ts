import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_KINDS, alertToJson } from '../detect/alert.js';
import { DeadLetterFile } from '../io/dead-letter-file.js';
import { writeNdjson } from '../io/ndjson-file.js';
import { trackToJson } from '../io/track-json.js';
import { loadZoneIndex } from '../io/zone-files.js';
import { loadCoreConfig } from '../pipeline/config-file.js';
import { DEFAULT_CORE_CONFIG } from '../pipeline/core-config.js';
import { defaultDetectors } from '../pipeline/default-detectors.js';
import { replay } from '../pipeline/replay.js';
import { ProgressReporter } from './progress-reporter.js';
import { runCoalitionReplay } from './replay-coalition.js';
import { countsText, feedSummary } from './replay-summary.js';

export interface ReplayCommandOptions {
  feed: string[];
  zones: string[];
  config?: string;
  out: string;
  /** A coalition file (DESIGN.md §6): one picture per member, in `--out/<member>/`. */
  coalition?: string;
}

/** Parses `MEMBER=PATH`; names the bad value. */
export function parseFeedSpec(spec: string): { member: string; path: string } {
  const at = spec.indexOf('=');
  const member = spec.slice(0, at);
  const path = spec.slice(at + 1);
  if (at <= 0 || path === '' || !/^[A-Za-z0-9_.-]+$/.test(member)) {
    throw new Error(
      `--feed ${spec}: expected MEMBER=PATH with a member id of letters, digits, _ . -`,
    );
  }
  return { member, path };
}

/**
 * `tidewatch replay`: the core over recorded feeds (DESIGN.md §2.1). Writes `alerts.ndjson`
 * (final revision of every alert), `tracks.ndjson` (final state per vessel) and
 * `rejected.ndjson` (dead letters: member, reason, line) to `--out`, and prints a summary.
 * With `coalition`, one picture per member instead (replay-coalition.ts).
 */
export async function runReplay(options: ReplayCommandOptions): Promise<number> {
  const started = Date.now();
  const feeds = options.feed.map(parseFeedSpec);
  if (feeds.length === 0) throw new Error('replay needs at least one --feed MEMBER=PATH');
  const configPath = options.config ?? process.env.TIDEWATCH_CONFIG;
  const config = configPath === undefined ? DEFAULT_CORE_CONFIG : loadCoreConfig(configPath);
  const zones = options.zones.length === 0 ? undefined : await loadZoneIndex(options.zones);
  mkdirSync(options.out, { recursive: true });

  const deadLetters = await DeadLetterFile.open(join(options.out, 'rejected.ndjson'));
  const progress = new ProgressReporter('replay', () => `${(bytes / 1e6).toFixed(1)} MB read`);
  let bytes = 0;
  const onProgress = (read: number): void => {
    bytes = read;
    progress.tick();
  };
  if (options.coalition !== undefined) {
    return runCoalitionReplay(
      { feeds, config, zones, out: options.out, coalitionPath: options.coalition, started },
      deadLetters,
      progress,
      onProgress,
    );
  }
  const result = await replay({
    feeds,
    zones,
    config,
    detectors: defaultDetectors(config),
    onReject: deadLetters.reject,
    onProgress,
  });
  progress.done();
  await deadLetters.close();

  await writeNdjson(
    join(options.out, 'alerts.ndjson'),
    result.alerts.map((alert) => alertToJson(alert)),
  );
  await writeNdjson(
    join(options.out, 'tracks.ndjson'),
    result.tracks.map((track) => trackToJson(track, result.core.members, zones)),
  );

  const { lines, lineCount, rejectedByReason } = feedSummary(result.feeds);
  const stats = result.core.stats;
  const alertsByKind = ALERT_KINDS.map(
    (kind) => `${kind} ${result.alerts.filter((a) => a.kind === kind).length}`,
  ).join(', ');
  process.stdout.write(
    [
      `replay: ${lineCount} lines read from ${feeds.length} feed(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ...lines,
      `  rejected: ${countsText(rejectedByReason)} (dead letters in ${join(options.out, 'rejected.ndjson')})`,
      `  reports: ${stats.reports} distinct, ${stats.duplicates} duplicates merged, ${stats.late} late, ${stats.outOfOrderFixes} out-of-order fixes`,
      `  vessels: ${result.tracks.length}`,
      `  alerts: ${result.alerts.length} (${alertsByKind})`,
      `  wrote ${join(options.out, 'alerts.ndjson')} and ${join(options.out, 'tracks.ndjson')}`,
      '',
    ].join('\n'),
  );
  return 0;
}
