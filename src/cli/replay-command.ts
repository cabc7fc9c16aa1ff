import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REJECT_REASONS, type RejectReason } from '../ais/reject-reason.js';
import { ALERT_KINDS, alertToJson } from '../detect/alert.js';
import { BufferedWriter } from '../io/buffered-writer.js';
import { OutputFile } from '../io/output-file.js';
import { trackToJson } from '../io/track-json.js';
import { loadZoneIndex } from '../io/zone-files.js';
import { loadCoreConfig } from '../pipeline/config-file.js';
import { DEFAULT_CORE_CONFIG } from '../pipeline/core-config.js';
import { defaultDetectors } from '../pipeline/default-detectors.js';
import { replay } from '../pipeline/replay.js';
import { ProgressReporter } from './progress-reporter.js';

export interface ReplayCommandOptions {
  feed: string[];
  zones: string[];
  config?: string;
  out: string;
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
 */
export async function runReplay(options: ReplayCommandOptions): Promise<number> {
  const started = Date.now();
  const feeds = options.feed.map(parseFeedSpec);
  if (feeds.length === 0) throw new Error('replay needs at least one --feed MEMBER=PATH');
  const configPath = options.config ?? process.env.TIDEWATCH_CONFIG;
  const config = configPath === undefined ? DEFAULT_CORE_CONFIG : loadCoreConfig(configPath);
  const zones = options.zones.length === 0 ? undefined : await loadZoneIndex(options.zones);
  mkdirSync(options.out, { recursive: true });

  const rejectedFile = await OutputFile.open(join(options.out, 'rejected.ndjson'));
  const rejected = new BufferedWriter(rejectedFile.stream);
  const progress = new ProgressReporter('replay', () => `${(bytes / 1e6).toFixed(1)} MB read`);
  let bytes = 0;
  const result = await replay({
    feeds,
    zones,
    config,
    detectors: defaultDetectors(config),
    onReject: (member: string, reason: RejectReason, line: string) =>
      rejected.write(`${JSON.stringify({ member, reason, line })}\n`),
    onProgress: (read) => {
      bytes = read;
      progress.tick();
    },
  });
  progress.done();
  await rejected.flush();
  await rejectedFile.close();

  await writeNdjson(
    join(options.out, 'alerts.ndjson'),
    result.alerts.map((alert) => alertToJson(alert)),
  );
  await writeNdjson(
    join(options.out, 'tracks.ndjson'),
    result.tracks.map((track) => trackToJson(track, result.core.members, zones)),
  );

  const lines: string[] = [];
  const rejectedByReason = new Map<RejectReason, number>();
  let lineCount = 0;
  for (const feed of result.feeds) {
    const s = feed.lineStats;
    lineCount += s.lines;
    let feedRejected = 0;
    for (const reason of REJECT_REASONS) {
      feedRejected += s.rejected[reason];
      rejectedByReason.set(reason, (rejectedByReason.get(reason) ?? 0) + s.rejected[reason]);
    }
    lines.push(
      `  feed ${feed.member} (${feed.format}) ${feed.path}: ${s.lines} lines, ${s.messages} messages, ${feedRejected} rejected`,
    );
  }
  const stats = result.core.stats;
  const alertsByKind = ALERT_KINDS.map(
    (kind) => `${kind} ${result.alerts.filter((a) => a.kind === kind).length}`,
  ).join(', ');
  const rejectedSummary = REJECT_REASONS.filter((r) => (rejectedByReason.get(r) ?? 0) > 0)
    .map((r) => `${r} ${rejectedByReason.get(r)}`)
    .join(', ');
  process.stdout.write(
    [
      `replay: ${lineCount} lines read from ${feeds.length} feed(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ...lines,
      `  rejected: ${rejectedSummary || 'none'} (dead letters in ${join(options.out, 'rejected.ndjson')})`,
      `  reports: ${stats.reports} distinct, ${stats.duplicates} duplicates merged, ${stats.late} late, ${stats.outOfOrderFixes} out-of-order fixes`,
      `  vessels: ${result.tracks.length}`,
      `  alerts: ${result.alerts.length} (${alertsByKind})`,
      `  wrote ${join(options.out, 'alerts.ndjson')} and ${join(options.out, 'tracks.ndjson')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

async function writeNdjson(path: string, rows: readonly unknown[]): Promise<void> {
  const file = await OutputFile.open(path);
  const writer = new BufferedWriter(file.stream);
  for (const row of rows) {
    writer.write(`${JSON.stringify(row)}\n`);
    await writer.flushIfFull();
  }
  await writer.flush();
  await file.close();
}
