import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, IconLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { HistoryPosition } from '../../src/picture/history-position.js';
import type { PictureAlert } from '../../src/picture/picture-alert.js';
import { VesselArrowLayer } from './vessel-arrow-layer.js';
import { VesselAttributes, type VesselDrawing } from './vessel-attributes.js';
import type { VesselStore } from './vessel-store.js';

export interface PictureLayersInput {
  readonly vessels: VesselStore;
  readonly drawing: VesselDrawing;
  readonly zones: unknown;
  readonly alerts: readonly PictureAlert[];
  readonly acknowledged: ReadonlySet<string>;
  readonly trail: readonly HistoryPosition[];
  readonly playback: readonly HistoryPosition[];
  readonly selected: number | undefined;
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

const HULL_MAPPING = { hull: { x: 0, y: 0, width: 64, height: 64, mask: true } };

const vesselAttributes = new VesselAttributes();

/**
 * The vessels, heading-rotated, coloured by type, dimmed when stale: as arrows, or (measured
 * against them) deck.gl's icons or dots. A click on a vessel is found by the page (main.ts).
 */
function vesselLayer(input: PictureLayersInput): Layer {
  const store = input.vessels;
  const data = vesselAttributes.layerData(store, input.drawing);
  if (input.drawing === 'arrows') {
    return new VesselArrowLayer({ id: 'vessels', data: data as never, sizePixels: 14 });
  }
  if (input.drawing === 'dots') {
    return new ScatterplotLayer({
      id: 'vessels-dots',
      data: data as never,
      radiusUnits: 'pixels',
      getRadius: 2.5,
    });
  }
  atlas ??= vesselAtlas();
  return new IconLayer({
    id: 'vessels-icons',
    data: data as never,
    iconAtlas: atlas as never,
    iconMapping: HULL_MAPPING,
    // A constant, not a function: deck.gl sets it once instead of calling it per vessel.
    getIcon: 'hull' as never,
    sizeUnits: 'pixels',
    getSize: 16,
  });
}

/** The selected vessel drawn larger on top (one icon, made anew when the selection moves). */
function selectedLayer(store: VesselStore, mmsi: number | undefined): Layer {
  const slot = mmsi === undefined ? undefined : store.slot(mmsi);
  const selected =
    slot === undefined || !store.shown(slot)
      ? []
      : [
          {
            position: [store.positions[2 * slot]!, store.positions[2 * slot + 1]!],
            angle: store.angles[slot]!,
            color: [...store.colors.subarray(4 * slot, 4 * slot + 3), 255],
          },
        ];
  atlas ??= vesselAtlas();
  return new IconLayer<(typeof selected)[number]>({
    id: 'selected',
    data: selected,
    iconAtlas: atlas as never,
    iconMapping: HULL_MAPPING,
    getIcon: () => 'hull',
    getPosition: (d) => d.position as [number, number],
    getAngle: (d) => d.angle,
    getColor: (d) => d.color as [number, number, number, number],
    sizeUnits: 'pixels',
    getSize: 26,
  });
}

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
    vesselLayer(input),
    selectedLayer(input.vessels, input.selected),
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
