import type { FusedTrack } from '../../src/fusion/fused-track.js';
import type { HistoryPosition } from '../../src/picture/history-position.js';
import type { PictureAlert } from '../../src/picture/picture-alert.js';
import { shipGroup } from './ship-types.js';

/** What the vessel panel shows: the API's vessel and its stored track. */
export interface VesselDetail {
  readonly track: FusedTrack;
  readonly alerts: readonly PictureAlert[];
}

/**
 * The vessel panel (issue 15): identity and static data, the members whose feeds heard it, its
 * alerts, and how many stored positions its trail on the map is drawn from.
 */
export function renderVesselPanel(
  detail: VesselDetail,
  trail: readonly HistoryPosition[] | string,
): void {
  const t = detail.track;
  const rows: [string, string | number | undefined][] = [
    ['MMSI', t.mmsi],
    ['Name', t.shipName],
    ['Call sign', t.callSign],
    ['IMO', t.imo],
    [
      'Ship type',
      t.shipType === undefined ? undefined : `${t.shipType} (${shipGroup(t.shipType)})`,
    ],
    ['Destination', t.destination],
    ['Draught', t.draught === undefined ? undefined : `${t.draught} m`],
    [
      'Length × beam',
      t.toBow === undefined || t.toStern === undefined
        ? undefined
        : `${t.toBow + t.toStern} × ${(t.toPort ?? 0) + (t.toStarboard ?? 0)} m`,
    ],
    ['Position', t.lat === undefined ? undefined : `${t.lat.toFixed(5)}, ${t.lon?.toFixed(5)}`],
    ['SOG / COG', t.sog === undefined ? undefined : `${t.sog} kn / ${t.cog ?? '–'}°`],
    ['Heading', t.heading],
    ['Last heard', new Date(t.lastSeen).toISOString().replace('T', ' ').slice(0, 19)],
    ['Heard by', t.sources.join(', ')],
    ['Reports fused', t.reportCount],
    ['In zones', t.zones.join(', ') || undefined],
    ['Stored track', typeof trail === 'string' ? trail : `${trail.length} positions`],
  ];
  const body = document.getElementById('vessel-body')!;
  const table = document.createElement('table');
  for (const [label, value] of rows) {
    if (value === undefined) continue;
    const tr = table.insertRow();
    tr.insertCell().textContent = label;
    tr.insertCell().textContent = String(value);
  }
  const heading = document.createElement('h3');
  heading.textContent = t.shipName ?? `MMSI ${t.mmsi}`;
  const alerts = document.createElement('ul');
  for (const alert of detail.alerts) {
    const li = document.createElement('li');
    li.textContent = `${alert.kind} ${new Date(alert.start).toISOString().slice(0, 16)} rev ${alert.revision}${alert.end === undefined ? ' (open)' : ''}`;
    alerts.append(li);
  }
  const alertsTitle = document.createElement('h4');
  alertsTitle.textContent = `Alerts (${detail.alerts.length})`;
  body.replaceChildren(heading, table, alertsTitle, alerts);
  document.getElementById('vessel')!.hidden = false;
}
