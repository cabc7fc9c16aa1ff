import { Command } from 'commander';
import { CoalitionError } from '../coalition/coalition-error.js';
import { sharingMatrix } from '../coalition/sharing-matrix.js';
import { formatSharingMatrix } from '../coalition/sharing-matrix-text.js';
import { loadCoalitionFile } from '../io/coalition-file.js';
import { loadZoneFiles } from '../io/zone-files.js';
import { ZoneError } from '../zones/zone-error.js';

export interface CoalitionExplainOptions {
  zones: string[];
  json?: boolean;
}

/** `tidewatch coalition explain` (DESIGN.md §6, issue 13), for registration in `main.ts`. */
export function coalitionCommand(): Command {
  const explain = new Command('explain')
    .description(
      'Check a coalition file and print the sharing it puts in force: per module and audience, ' +
        'whose contributions it sees and where not, areas, private zones, the distinct pictures ' +
        'and the policy version.',
    )
    .argument('<file>', 'coalition file (YAML or JSON): members, modules, release')
    .option(
      '--zones <path>',
      'zones GeoJSON the policy runs with: checks the zone ids it names, reads private zones ' +
        '(a zone with members); repeatable',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--json', 'print the matrix as JSON instead of tables')
    .addHelpText(
      'after',
      `
Checks the whole file and lists every problem (unknown member or zone, a parent cycle, an output
that is not tracks or an alert kind, a member in no module, a duplicate, ...); exit 2 when any.

Tables, one per module: rows are audiences (who receives), columns contributors (whose reports).
  own       its own contributions            yes     released by the contributor
  parent    from its sub-national member     yes[n]  released except where note n says
  -         not released
The pictures list the audiences that see the same contributions: one computation serves them.
The policy version is a hash of what the policy decides; every track and alert will carry it.
Syntax and semantics: docs/coalition.md.

Examples:
  tidewatch coalition explain config/coalition.example.yaml
  tidewatch coalition explain coalition.yaml --zones zones.geojson --json | jq .pictures`,
    )
    .action((file: string, options: CoalitionExplainOptions) => {
      process.exitCode = runCoalitionExplain(file, options);
    });
  return new Command('coalition')
    .description('Coalition policy (members, modules, release): check it and explain it.')
    .addCommand(explain);
}

/** Prints the sharing matrix; returns the exit code (2 when the file or zones are refused). */
export function runCoalitionExplain(file: string, options: CoalitionExplainOptions): number {
  try {
    const zoneSet = options.zones.length === 0 ? undefined : loadZoneFiles(options.zones);
    for (const warning of zoneSet?.warnings ?? []) {
      process.stderr.write(`zones: ${warning.message}\n`);
    }
    const matrix = sharingMatrix(loadCoalitionFile(file, zoneSet?.zones));
    process.stdout.write(
      options.json === true ? `${JSON.stringify(matrix, null, 2)}\n` : formatSharingMatrix(matrix),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof CoalitionError) && !(error instanceof ZoneError)) throw error;
    process.stderr.write(`tidewatch coalition explain: ${error.message}\n`);
    return 2;
  }
}
