#!/usr/bin/env node
import { Command } from 'commander';
import { runDecode } from './decode-command.js';

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

// A closed pipe (`tidewatch decode | head`) ends the output quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await program.parseAsync(process.argv);
