#!/usr/bin/env node
import { Command } from 'commander';
import { coalitionCommand } from './coalition-command.js';
import { runDecode } from './decode-command.js';
import { demoCommand } from './demo-command.js';
import { feedCommand } from './feed-command.js';
import { migrateCommand } from './migrate-command.js';
import { type ReplayCommandOptions, runReplay } from './replay-command.js';
import { runCommand } from './run-command.js';
import { serveCommand } from './serve-command.js';
import { simulateCommand } from './simulate-command.js';

const program = new Command()
  .name('tidewatch')
  .description(
    "Maritime border-security data fusion: decodes members' AIS feeds, fuses them into one " +
      'picture, flags dark gaps, rendezvous, zone incursions and spoofed identities.',
  )
  .showHelpAfterError('(run with --help for usage)');

program
  .command('decode')
  .description(
    'Decode NMEA 0183 AIS (!AIVDM/!AIVDO, tag blocks, $PGHP) into one JSON object per message.',
  )
  .argument('[file]', 'input file, gzip allowed; standard input when absent or "-"')
  .option('--errors <file>', 'write every rejected line as NDJSON {"reason","line"} to this file')
  .option('--require-time', 'reject messages without a receive time (reason no_timestamp)')
  .addHelpText(
    'after',
    `
Output keys (DESIGN.md 2.2), present only when the message carries a value:
  type mmsi navStatus rot sog accuracy lon lat cog heading second imo callSign shipName
  shipType toBow toStern toPort toStarboard draught destination eta partNo aidType name
  altitude receivedAt station
Units: sog knots, lon/lat decimal degrees, cog/heading degrees, rot degrees/minute
(+-720 = turning fast, rate unknown), draught metres, receivedAt ISO 8601.
A summary of lines and rejections by reason goes to stderr. Exit 0 unless the input cannot be read.

Examples:
  tidewatch decode feed.nmea > messages.ndjson
  zcat feed.nmea.gz | tidewatch decode --errors rejected.ndjson | jq .mmsi`,
  )
  .action(async (file: string | undefined, options: { errors?: string; requireTime?: boolean }) => {
    process.exitCode = await runDecode(file, options);
  });

program
  .command('replay')
  .description(
    'Run the fusion and detection core over recorded feeds, offline, in event time: ' +
      'alerts.ndjson, tracks.ndjson and rejected.ndjson in --out.',
  )
  .requiredOption(
    '--feed <member=path>',
    'a member feed: NMEA (tag blocks, $PGHP) or MarineCadastre CSV, gzip allowed; repeatable',
    collect,
    [],
  )
  .option('--zones <path>', 'zones GeoJSON (id, name, kind, members); repeatable', collect, [])
  .option('--config <file>', 'YAML/JSON with a `core` section of thresholds (env TIDEWATCH_CONFIG)')
  .requiredOption('--out <dir>', 'output directory')
  .option(
    '--coalition <file>',
    'coalition policy (YAML/JSON, docs/coalition.md): one picture per member, in --out/<member>/',
  )
  .addHelpText(
    'after',
    `
Feeds are merged in event time; the watermark trails the slowest feed by
core.allowedLatenessSeconds. The same AIS message heard by several feeds within 30 s is one
report with several sources. See config/tidewatch.example.yaml for every threshold.

Example:
  tidewatch simulate --out /tmp/scenario
  tidewatch replay --feed ca=/tmp/scenario/ca.nmea --feed no=/tmp/scenario/no.nmea \\
    --zones /tmp/scenario/zones.geojson --out /tmp/replay

With --coalition, each member's picture is a replay of only the contributions released to it
(DESIGN.md 6): --out/<member>/alerts.ndjson and tracks.ndjson, filtered by its modules' outputs,
its area and private zones, every record with the policy version; a feed of a member the file
does not know is rejected line by line (unknown_member). See docs/coalition.md.
  tidewatch replay --coalition config/coalition.example.yaml --feed ca=/tmp/scenario/ca.nmea \\
    --feed no=/tmp/scenario/no.nmea --feed au=/tmp/scenario/au.nmea \\
    --zones /tmp/scenario/zones.geojson --out /tmp/replay`,
  )
  .action(async (options: ReplayCommandOptions) => {
    process.exitCode = await runReplay(options);
  });

program.addCommand(simulateCommand());
program.addCommand(migrateCommand());
program.addCommand(runCommand());
program.addCommand(feedCommand());
program.addCommand(serveCommand());
program.addCommand(demoCommand());
program.addCommand(coalitionCommand());

/** Commander helper for repeatable options. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

// A closed pipe (`tidewatch decode | head`) ends the output quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Bad input (a feed spec, a config key, a zones file) is a message, not a stack trace.
  process.stderr.write(`tidewatch: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
