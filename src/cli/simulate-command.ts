import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { ALERT_KINDS } from '../detect/alert.js';
import { MIN_HOURS, SIMULATE_DEFAULTS, type SimulateOptions, simulate } from '../sim/simulate.js';
import { integerOption, numberOption } from './number-option.js';

export interface SimulateCommandOptions {
  out: string;
  seed?: string;
  hours?: string;
  vessels?: string;
  members?: string;
  start?: string;
  intervalScale?: string;
  malformedRate?: string;
}

/** `tidewatch simulate` (DESIGN.md §2.1, issue 3), for registration in `main.ts`. */
export function simulateCommand(): Command {
  const d = SIMULATE_DEFAULTS;
  return new Command('simulate')
    .description(
      'Generate labelled multi-member AIS traffic (NMEA with tag blocks) with injected events of ' +
        'every alert kind and hard negatives, for demos, tests and benchmarks.',
    )
    .requiredOption('--out <dir>', 'directory to write the feeds, zones and labels to (created)')
    .option('--seed <n>', `seed of every random choice; same seed, same output (default ${d.seed})`)
    .option('--hours <h>', `scenario length, at least ${MIN_HOURS} (default ${d.hours})`)
    .option('--vessels <n>', `background vessels besides the event vessels (default ${d.vessels})`)
    .option('--members <a,b,c>', `member ids, one feed each (default ${d.members.join(',')})`)
    .option('--start <iso>', `scenario start, whole seconds (default ${d.start})`)
    .option(
      '--interval-scale <x>',
      `multiply the ITU report intervals, e.g. 3 for a third of the lines (default ${d.intervalScale})`,
    )
    .option('--malformed-rate <r>', `share of malformed lines (default ${d.malformedRate})`)
    .addHelpText(
      'after',
      `
Writes:
  DIR/<member>.nmea   one feed per member: !AIVDM lines with NMEA 4.10 tag blocks
                      (s: station, c: receive time in UNIX seconds), in receive-time order
  DIR/zones.geojson   FeatureCollection of the zones (properties id, name, kind, members):
                      ports, a restricted area, a marine protected area, an EEZ
  DIR/labels.json     { scenario, summary, stations, vessels, labels }: every injected event
                      as { kind, mmsi, otherMmsi?, zoneId?, start, end?, expect: "alert" | "none",
                      toleranceSeconds, lat, lon, note }, hard negatives with expect "none";
                      per vessel the members that heard it and its distinct position reports
A summary goes to stderr.

The scenario: station sites in a chain west to east, owned by the members in turn, 40 NM range
(overlaps give cross-feed duplicates; north, south and the ends are holes), one receiver outage;
class A (types 1, 3, 5) and class B (18, 24) traffic at ITU-R M.1371 report rates, aids to
navigation (21) and base stations (4); a small share of malformed lines (bad checksum, truncated,
garbage). Events (first ${MIN_HOURS} h): dark_gap, rendezvous, zone_entry/zone_exit, loitering,
position_jump, identity_conflict, invalid_identity; hard negatives: passing ships, a short
meeting, ships moored together and a slow tug in port, silences in port, out of coverage and
during the outage, a 36 kn ferry, a fixed aid to navigation, a base station.

Examples:
  tidewatch simulate --out scenario
  tidewatch simulate --out big --seed 7 --hours 24 --vessels 1000 --members ca,no,au,nz`,
    )
    .action(async (options: SimulateCommandOptions) => {
      process.exitCode = await runSimulate(options);
    });
}

/**
 * Runs the simulator and writes its files. Returns the exit code: 0, or 2 when an option is bad
 * or the output cannot be written.
 */
export async function runSimulate(options: SimulateCommandOptions): Promise<number> {
  const startedMs = Date.now();
  let simulateOptions: SimulateOptions;
  try {
    simulateOptions = parseOptions(options);
  } catch (error) {
    process.stderr.write(`tidewatch simulate: ${(error as Error).message}\n`);
    return 2;
  }
  let result: ReturnType<typeof simulate>;
  try {
    result = simulate(simulateOptions);
  } catch (error) {
    // simulate() names the bad value, prefixed `simulate:`.
    process.stderr.write(`tidewatch ${(error as Error).message}\n`);
    return 2;
  }
  const { summary } = result;
  try {
    await mkdir(options.out, { recursive: true });
    for (const feed of result.feeds) {
      await writeFile(
        join(options.out, `${feed.member}.nmea`),
        feed.lines.length === 0 ? '' : `${feed.lines.join('\n')}\n`,
      );
    }
    // One feature a line: readable, and diffs stay small.
    const features = result.zones.features.map((f) => JSON.stringify(f)).join(',\n');
    await writeFile(
      join(options.out, 'zones.geojson'),
      `{"type":"FeatureCollection","features":[\n${features}\n]}\n`,
    );
    const labels = {
      scenario: {
        seed: summary.seed,
        start: summary.start,
        end: summary.end,
        hours: summary.hours,
        members: summary.members,
        intervalScale: summary.intervalScale,
        malformedRate: summary.malformedRate,
      },
      summary,
      stations: result.stations,
      vessels: result.vessels,
      labels: result.labels,
    };
    await writeFile(join(options.out, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(
      `tidewatch simulate: cannot write ${options.out}: ${(error as Error).message}\n`,
    );
    return 2;
  }
  process.stderr.write(describe(result, options.out, Date.now() - startedMs));
  return 0;
}

function parseOptions(options: SimulateCommandOptions): SimulateOptions {
  // Ranges (hours >= 6, seed 0..2^32-1, ...) are simulate()'s to check.
  const parsed: SimulateOptions = {};
  if (options.seed !== undefined) parsed.seed = integerOption('seed', options.seed);
  if (options.hours !== undefined) parsed.hours = numberOption('hours', options.hours);
  if (options.vessels !== undefined) parsed.vessels = integerOption('vessels', options.vessels);
  if (options.intervalScale !== undefined) {
    parsed.intervalScale = numberOption('interval-scale', options.intervalScale);
  }
  if (options.malformedRate !== undefined) {
    parsed.malformedRate = numberOption('malformed-rate', options.malformedRate);
  }
  if (options.members !== undefined)
    parsed.members = options.members.split(',').map((m) => m.trim());
  if (options.start !== undefined) parsed.start = options.start;
  return parsed;
}

function describe(result: ReturnType<typeof simulate>, out: string, elapsedMs: number): string {
  const s = result.summary;
  const m = s.malformed;
  const kinds = ALERT_KINDS.map((k) => `${k} ${s.labels[k].alert}/${s.labels[k].none}`).join(', ');
  const lines = [
    `simulated ${s.start} .. ${s.end} (${s.hours} h), seed ${s.seed}, members ${s.members.join(',')}, ${result.stations.length} stations, ${result.vessels.count} AIS units`,
    `  ${result.feeds.map((f) => `${f.member}.nmea ${f.lines.length} lines`).join(', ')}`,
    `  messages sent ${s.transmissions}, copies received ${s.receptions}, heard by 2+ members ${s.crossMemberDuplicates}`,
    `  malformed lines ${m.total} (checksum ${m.checksum}, truncated ${m.truncated}, garbage ${m.garbage})`,
    `  labels ${result.labels.length} (alert/none): ${kinds}`,
    `  wrote ${out}/ in ${(elapsedMs / 1000).toFixed(1)} s`,
  ];
  return `${lines.join('\n')}\n`;
}
