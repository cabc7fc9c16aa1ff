import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import * as maplibregl from 'maplibre-gl';
import type { HistoryPosition } from '../../src/picture/history-position.js';
import type { PictureAlert } from '../../src/picture/picture-alert.js';
import { type Acknowledgement, AlertPanel } from './alert-panel.js';
import { basemapStyle } from './basemap-style.js';
import { pictureLayers } from './layers.js';
import { Playback } from './playback.js';
import { api, sessionToken } from './session.js';
import { SHIP_GROUPS, type ShipGroup } from './ship-types.js';
import type { VesselDrawing } from './vessel-attributes.js';
import { renderVesselPanel, type VesselDetail } from './vessel-panel.js';
import { VesselStore } from './vessel-store.js';

/**
 * The operations picture's page (issue 15, DESIGN.md §7): MapLibre GL on the offline basemap,
 * deck.gl layers for the member's live picture, the alert list, the vessel panel, search, the
 * ship-type filter and history playback. Live data comes over one WebSocket: binary track frames
 * for the viewport (src/picture/track-frame.ts) and alert revisions as JSON text.
 */
interface Session {
  readonly member: string;
  readonly name: string;
  readonly pictureTimeMs: number;
  readonly history: boolean;
}

/** What the tests (and a curious operator's console) can ask the page. */
interface PictureDebug {
  /** Items each deck.gl layer holds, by layer id. */
  layerCounts(): Record<string, number>;
  /** Track frames received. */
  frames(): number;
  /** Pans the map by pixels at once (the page benchmark pans with it). */
  panBy(x: number, y: number): void;
  /** Draws the vessels another way (bench:picture-page measures them against each other). */
  setVesselDrawing(drawing: VesselDrawing): void;
  ready: boolean;
}

declare global {
  interface Window {
    tidewatchPicture: PictureDebug;
  }
}

const status = document.getElementById('status')!;

async function start(): Promise<void> {
  const given = sessionToken();
  if (given === undefined) {
    status.textContent =
      'Not signed in: open the address `tidewatch serve` printed for your member.';
    return;
  }
  const token: string = given;
  const session = await api<Session>(token, '/api/session');
  document.getElementById('member')!.textContent = `${session.name} (${session.member})`;

  maplibregl.setWorkerUrl(new URL('maplibre-gl-worker.mjs', location.href).href);
  const map = new maplibregl.Map({
    container: 'map',
    style: basemapStyle(),
    center: [0, 30],
    zoom: 1.5,
    attributionControl: { customAttribution: 'Natural Earth' },
  });
  const overlay = new MapboxOverlay({ interleaved: false, layers: [] });
  map.addControl(overlay);
  map.addControl(new maplibregl.NavigationControl({ showCompass: true }), 'top-right');

  const store = new VesselStore();
  let zones: unknown = { type: 'FeatureCollection', features: [] };
  let selected: number | undefined;
  let trail: HistoryPosition[] = [];
  let drawing: VesselDrawing = 'arrows';
  let layers: ReturnType<typeof pictureLayers> = [];

  const selectAlert = (alert: PictureAlert): void => {
    map.flyTo({ center: [alert.lon, alert.lat], zoom: Math.max(map.getZoom(), 10) });
    void select(alert.mmsi);
  };
  const alertPanel = new AlertPanel({
    onSelect: selectAlert,
    onAcknowledge: (alert, by) =>
      api<Acknowledgement>(token, `/api/alerts/${encodeURIComponent(alert.id)}/acknowledge`, {
        method: 'POST',
        body: JSON.stringify({ by, revision: alert.revision }),
      }),
    onChange: () => scheduleRender(),
  });

  const playback = new Playback({
    load: (fromMs, toMs) => {
      const b = map.getBounds();
      const query = new URLSearchParams({
        from: String(fromMs),
        to: String(toMs),
        west: String(Math.max(-180, b.getWest())),
        south: String(Math.max(-90, b.getSouth())),
        east: String(Math.min(180, b.getEast())),
        north: String(Math.min(90, b.getNorth())),
      });
      return api(token, `/api/history?${query}`);
    },
    pictureTimeMs: () => store.pictureTimeMs,
    onChange: () => scheduleRender(),
  });

  let renderPending = false;
  function scheduleRender(): void {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      layers = pictureLayers({
        vessels: store,
        drawing,
        zones,
        alerts: alertPanel.visible(),
        acknowledged: alertPanel.acknowledged(),
        trail,
        playback: playback.visible(),
        selected,
        onAlertClick: selectAlert,
      });
      overlay.setProps({ layers });
    });
  }

  async function select(mmsi: number): Promise<void> {
    selected = mmsi;
    trail = [];
    scheduleRender();
    let detail: VesselDetail;
    try {
      detail = await api<VesselDetail>(token, `/api/vessels/${mmsi}`);
    } catch {
      return;
    }
    let stored: HistoryPosition[] | string = 'no history (Postgres not configured)';
    if (session.history) {
      try {
        const reply = await api<{ positions: HistoryPosition[] }>(
          token,
          `/api/vessels/${mmsi}/track`,
        );
        stored = reply.positions;
      } catch (error) {
        stored = (error as Error).message;
      }
    }
    if (selected !== mmsi) return;
    trail = typeof stored === 'string' ? [] : stored;
    renderVesselPanel(detail, stored);
    scheduleRender();
  }

  document.getElementById('vessel-close')!.addEventListener('click', () => {
    document.getElementById('vessel')!.hidden = true;
    selected = undefined;
    trail = [];
    scheduleRender();
  });

  const typeSelect = document.getElementById('type-filter') as HTMLSelectElement;
  typeSelect.append(new Option('every type', ''));
  for (const group of SHIP_GROUPS) typeSelect.append(new Option(group.label, group.id));
  typeSelect.addEventListener('change', () => {
    store.setTypeFilter(typeSelect.value as ShipGroup | '');
    scheduleRender();
  });

  const search = document.getElementById('search') as HTMLInputElement;
  const results = document.getElementById('search-results')!;
  let searchTimer: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = window.setTimeout(async () => {
      const query = search.value.trim();
      if (query === '') {
        results.replaceChildren();
        return;
      }
      const reply = await api<{
        vessels: {
          mmsi: number;
          shipName?: string;
          callSign?: string;
          lat?: number;
          lon?: number;
        }[];
      }>(token, `/api/search?q=${encodeURIComponent(query)}`);
      results.replaceChildren(
        ...reply.vessels.map((v) => {
          const li = document.createElement('li');
          li.textContent = `${v.mmsi} ${v.shipName ?? ''} ${v.callSign ?? ''}`;
          li.addEventListener('click', () => {
            if (v.lat !== undefined && v.lon !== undefined) {
              map.flyTo({ center: [v.lon, v.lat], zoom: Math.max(map.getZoom(), 10) });
            }
            void select(v.mmsi);
          });
          return li;
        }),
      );
    }, 200);
  });

  const [zoneReply, alertReply] = await Promise.all([
    api<unknown>(token, '/api/zones'),
    api<{ alerts: PictureAlert[]; acknowledgements: Acknowledgement[] }>(token, '/api/alerts'),
  ]);
  zones = zoneReply;
  for (const alert of alertReply.alerts) alertPanel.upsert(alert);
  for (const ack of alertReply.acknowledgements) alertPanel.acknowledgements.set(ack.alertId, ack);
  alertPanel.render();

  let fitted = false;
  const connect = (): void => {
    const socket = new WebSocket(new URL('ws', location.href.replace(/^http/, 'ws')).href);
    socket.binaryType = 'arraybuffer';
    const sendViewport = (): void => {
      if (socket.readyState !== WebSocket.OPEN) return;
      // As the map gives them: a view across the antimeridian has east > 180 (or west < -180);
      // the server wraps it into two boxes (src/picture/viewport.ts).
      const b = map.getBounds();
      socket.send(
        JSON.stringify({
          type: 'viewport',
          west: b.getWest(),
          south: b.getSouth(),
          east: b.getEast(),
          north: b.getNorth(),
        }),
      );
    };
    // A drag or a fly-to ends in one viewport message: panning step by step (each step a
    // moveend) would otherwise make the server send a diff frame for every step.
    let viewportTimer: number | undefined;
    const onMove = (): void => {
      clearTimeout(viewportTimer);
      viewportTimer = window.setTimeout(sendViewport, 200);
    };
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', token })));
    socket.addEventListener('message', (event) => {
      if (event.data instanceof ArrayBuffer) {
        const complete = store.apply(event.data);
        // The first picture is the whole world, in several frames when it is large: the map fits
        // itself to all of it, then follows the view (a viewport sent earlier would cut it).
        if (!fitted && complete) {
          fitted = true;
          fitToVessels();
          map.on('moveend', onMove);
        }
        status.textContent = `live · ${store.count} vessels in view · picture time ${new Date(store.pictureTimeMs).toISOString().slice(11, 19)}`;
        scheduleRender();
        return;
      }
      const message = JSON.parse(String(event.data)) as
        | { type: 'hello' }
        | { type: 'alert'; alert: PictureAlert };
      if (message.type === 'hello') {
        window.tidewatchPicture.ready = true;
        if (fitted) {
          // A reconnection: the picture comes again for the view the map shows.
          map.on('moveend', onMove);
          sendViewport();
        }
      } else if (message.type === 'alert') {
        alertPanel.upsert(message.alert);
        alertPanel.render();
        scheduleRender();
      }
    });
    socket.addEventListener('close', () => {
      map.off('moveend', onMove);
      status.textContent = 'disconnected: reconnecting…';
      store.clear();
      fitted = true;
      setTimeout(connect, 2000);
    });
  };

  function fitToVessels(): void {
    const box = store.bounds();
    if (box === undefined) return;
    map.fitBounds(
      [
        [box.west, box.south],
        [box.east, box.north],
      ],
      { padding: 40, duration: 0, maxZoom: 11 },
    );
  }

  window.tidewatchPicture = {
    layerCounts: () => {
      const counts: Record<string, number> = {};
      for (const layer of layers) {
        const data = layer.props.data as { length?: number; features?: unknown[] } | unknown[];
        counts[layer.id] = Array.isArray(data)
          ? data.length
          : (data?.features?.length ?? data?.length ?? 0);
      }
      // The vessels, whichever way they are drawn.
      counts.vessels ??= counts['vessels-icons'] ?? counts['vessels-dots'] ?? 0;
      return counts;
    },
    frames: () => store.frames,
    panBy: (x, y) => map.panBy([x, y], { duration: 0 }),
    setVesselDrawing: (chosen) => {
      drawing = chosen;
      scheduleRender();
    },
    ready: false,
  };
  // The vessel under a click (within 10 px): the vessel layer is not picked through deck.gl
  // (vessel-arrow-layer.ts), so the page looks in the store's box around the click.
  map.on('click', (event) => {
    const { x, y } = event.point;
    const corner = map.unproject([x - 10, y + 10]);
    const across = map.unproject([x + 10, y - 10]);
    let best: { mmsi: number; distance: number } | undefined;
    for (const slot of store.within(corner.lng, corner.lat, across.lng, across.lat)) {
      const p = map.project([store.positions[2 * slot]!, store.positions[2 * slot + 1]!]);
      const distance = Math.hypot(p.x - x, p.y - y);
      if (best === undefined || distance < best.distance) {
        best = { mmsi: store.mmsi[slot]!, distance };
      }
    }
    if (best !== undefined) void select(best.mmsi);
  });
  map.on('load', () => connect());
}

start().catch((error: unknown) => {
  status.textContent = `failed: ${(error as Error).message}`;
});
