import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, IconLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { PictureAlert } from '../../src/picture/picture-alert.js';
import type { FrameVessel } from '../../src/picture/track-frame.js';
import { shipColor } from './ship-types.js';

/** A vessel not heard for this long (picture time) is drawn dimmed. */
export const STALE_AFTER_MS = 15 * 60_000;

/** A stored position from the history API. */
export interface HistoryPosition {
  readonly mmsi: number;
  readonly time: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number | null;
  readonly cog: number | null;
}

export interface PictureLayersInput {
  readonly vessels: readonly FrameVessel[];
  readonly pictureTimeMs: number;
  readonly zones: unknown;
  readonly alerts: readonly PictureAlert[];
  readonly acknowledged: ReadonlySet<string>;
  readonly trail: readonly HistoryPosition[];
  readonly playback: readonly HistoryPosition[];
  readonly selected: number | undefined;
  readonly onVesselClick: (mmsi: number) => void;
  readonly onAlertClick: (alert: PictureAlert) => void;
}

/** The vessel icon: a hull pointing north, white (a mask: deck.gl colours it per vessel). */
function vesselAtlas(): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#fff';
  g.beginPath();
  g.moveTo(32, 2);
  g.lineTo(52, 58);
  g.lineTo(32, 46);
  g.lineTo(12, 58);
  g.closePath();
  g.fill();
  return canvas;
}

let atlas: HTMLCanvasElement | undefined;

const ZONE_COLORS: Record<string, [number, number, number]> = {
  eez: [66, 165, 245],
  territorial_sea: [126, 87, 194],
  contiguous: [92, 107, 192],
  mpa: [102, 187, 106],
  restricted: [239, 83, 80],
  port: [255, 202, 40],
  custom: [176, 190, 197],
};

/**
 * The deck.gl layers of the picture, bottom to top: zones, history playback, the selected
 * vessel's trail, vessels (heading-rotated, coloured by ship type, dimmed when stale), alerts.
 */
export function pictureLayers(input: PictureLayersInput): Layer[] {
  atlas ??= vesselAtlas();
  return [
    new GeoJsonLayer({
      id: 'zones',
      data: input.zones as never,
      filled: true,
      stroked: true,
      getFillColor: (f: { properties: { kind: string } }) => [
        ...(ZONE_COLORS[f.properties.kind] ?? ZONE_COLORS.custom!),
        28,
      ],
      getLineColor: (f: { properties: { kind: string } }) => [
        ...(ZONE_COLORS[f.properties.kind] ?? ZONE_COLORS.custom!),
        200,
      ],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      pickable: false,
    }),
    new ScatterplotLayer<HistoryPosition>({
      id: 'playback',
      data: input.playback as HistoryPosition[],
      getPosition: (p) => [p.lon, p.lat],
      getFillColor: [255, 241, 118, 200],
      radiusUnits: 'pixels',
      getRadius: 2.5,
    }),
    new PathLayer<{ path: [number, number][] }>({
      id: 'trail',
      data: input.trail.length > 1 ? [{ path: input.trail.map((p) => [p.lon, p.lat]) }] : [],
      getPath: (d) => d.path,
      getColor: [255, 255, 255, 220],
      widthUnits: 'pixels',
      getWidth: 2,
    }),
    new IconLayer<FrameVessel>({
      id: 'vessels',
      data: input.vessels as FrameVessel[],
      iconAtlas: atlas as never,
      iconMapping: { hull: { x: 0, y: 0, width: 64, height: 64, mask: true } },
      getIcon: () => 'hull',
      getPosition: (v) => [v.lon, v.lat],
      // deck.gl turns counter-clockwise; AIS heading and course are clockwise from north.
      getAngle: (v) => -(v.heading ?? v.cog ?? 0),
      sizeUnits: 'pixels',
      getSize: (v) => (v.mmsi === input.selected ? 26 : 16),
      getColor: (v) => {
        const stale = input.pictureTimeMs - v.lastSeen > STALE_AFTER_MS;
        return [...shipColor(v.shipType), stale ? 80 : 255] as [number, number, number, number];
      },
      updateTriggers: { getColor: input.pictureTimeMs, getSize: input.selected },
      pickable: true,
      onClick: (info) => {
        if (info.object !== undefined) input.onVesselClick((info.object as FrameVessel).mmsi);
      },
    }),
    new ScatterplotLayer<PictureAlert>({
      id: 'alerts',
      data: input.alerts as PictureAlert[],
      getPosition: (a) => [a.lon, a.lat],
      radiusUnits: 'pixels',
      getRadius: 9,
      filled: false,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5,
      getLineColor: (a) =>
        input.acknowledged.has(a.id)
          ? [156, 204, 101, 230]
          : a.end === undefined
            ? [255, 82, 82, 255]
            : [255, 171, 145, 150],
      updateTriggers: { getLineColor: [...input.acknowledged].join() },
      pickable: true,
      onClick: (info) => {
        if (info.object !== undefined) input.onAlertClick(info.object as PictureAlert);
      },
    }),
  ];
}
