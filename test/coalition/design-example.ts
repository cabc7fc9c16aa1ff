import { boxZones } from '../support/box-zones.js';

/** Zones the DESIGN.md §6 example names, and a private zone of ca and uk. */
export const DESIGN_ZONES = boxZones(
  { id: 'no-territorial-sea', name: 'NO TS', kind: 'territorial_sea', box: [4, 58, 8, 62] },
  { id: 'ns-waters', name: 'NS', kind: 'custom', box: [-66, 43, -60, 47] },
  { id: 'joint-box', name: 'Joint', kind: 'restricted', members: ['ca', 'uk'], box: [0, 0, 1, 1] },
).zones;

/** The DESIGN.md §6 example coalition file. */
export const DESIGN_EXAMPLE = `
members:
  ca:    { name: Canada }
  ca-ns: { name: Nova Scotia, parent: ca, voting: false, area: [ns-waters] }
  uk:    { name: United Kingdom }
  no:    { name: Norway }
modules:
  picture:  { members: [ca, ca-ns, uk, no], outputs: [tracks] }
  border:   { members: [ca, ca-ns, uk], outputs: [dark_gap, rendezvous, zone_entry, zone_exit] }
release:
  uk: { to: [ca] }
  no: { to: [uk], inside: { no-territorial-sea: [] } }
`;
