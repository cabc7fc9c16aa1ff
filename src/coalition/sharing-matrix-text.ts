import type {
  AudienceRow,
  ContributionCell,
  ModuleMatrix,
  SharingMatrix,
} from './sharing-matrix.js';

/**
 * The sharing matrix as text for a person (`tidewatch coalition explain`): members, then one
 * table per module — rows are audiences, columns contributors — with its notes, the private
 * zones, the pictures and the version. docs/coalition.md shows an example.
 */
export function formatSharingMatrix(matrix: SharingMatrix): string {
  const lines: string[] = [`Coalition policy ${matrix.source}`, ''];
  lines.push('Members');
  lines.push(
    ...table([
      ['id', 'name', 'parent', 'voting', 'Postgres role', 'area'],
      ...matrix.members.map((m) => [
        m.id,
        m.name,
        m.parent ?? '-',
        m.voting ? 'yes' : 'no',
        m.role,
        areaText(m.area),
      ]),
    ]),
  );
  for (const module of matrix.modules) lines.push('', ...moduleLines(module));
  lines.push('', 'Cells: own = its own contributions; parent = released to it as the');
  lines.push("contributor's parent; yes = released; yes[n] = released except as note n says;");
  lines.push('- = not released. Area: outputs only at positions inside those zones.');

  lines.push('', 'Private zones (their alerts reach only their members)');
  if (!matrix.zonesChecked) {
    lines.push('  unknown: no zones given (--zones); zone ids in area and inside are not checked');
  } else if (matrix.privateZones.length === 0) {
    lines.push('  none');
  } else {
    lines.push(...table(matrix.privateZones.map((z) => [z.id, z.members.join(', ')])));
  }

  const audienceCount = matrix.pictures.reduce((n, p) => n + p.audiences.length, 0);
  lines.push(
    '',
    `Pictures: ${matrix.pictures.length} distinct for ${audienceCount} audiences (module/member);`,
    'audiences that see the same contributions share one computation',
  );
  lines.push(
    ...table(
      matrix.pictures.map((p) => [
        p.id,
        p.audiences.map((a) => `${a.module}/${a.member}`).join(', '),
        p.outputs.join(', '),
      ]),
    ),
  );
  lines.push('', `Policy version ${matrix.version}`);
  if (!matrix.zonesChecked) {
    lines.push('  (without zones: the pipeline, which loads them, stamps another version)');
  }
  return `${lines.join('\n')}\n`;
}

function moduleLines(module: ModuleMatrix): string[] {
  const notes: string[] = [];
  const cell = (c: ContributionCell): string => {
    if (c.sees === 'not_released') return '-';
    if (c.sees !== 'released') return c.sees;
    if (c.withheldInside.length === 0) return 'yes';
    const note = `withheld inside ${c.withheldInside.join(', ')}`;
    if (!notes.includes(note)) notes.push(note);
    return `yes[${notes.indexOf(note) + 1}]`;
  };
  const row = (a: AudienceRow): string[] => [
    a.member,
    ...a.contributions.map(cell),
    a.picture,
    areaText(a.area),
  ];
  return [
    `Module ${module.name} (outputs: ${module.outputs.join(', ')})`,
    ...table([
      ['audience \\ from', ...module.members, 'picture', 'area'],
      ...module.audiences.map(row),
    ]),
    ...notes.map((note, i) => `  [${i + 1}] ${note}`),
  ];
}

function areaText(area: readonly string[] | null): string {
  return area === null ? 'everywhere' : area.join(', ');
}

/** Left-aligned columns two spaces apart, indented by two; no trailing spaces. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((text, i) => {
      widths[i] = Math.max(widths[i] ?? 0, text.length);
    });
  }
  return rows.map((row) =>
    `  ${row.map((text, i) => text.padEnd(widths[i]!)).join('  ')}`.trimEnd(),
  );
}
