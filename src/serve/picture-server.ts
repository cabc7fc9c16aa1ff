import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AcknowledgementStore } from '../io/postgres/acknowledgement-store.js';
import { MemberSessionError } from '../io/postgres/member-session.js';
import type { PictureHistory } from '../io/postgres/picture-history.js';
import type { PictureModel } from '../picture/picture-model.js';
import { parseViewport, viewportBoxes } from '../picture/viewport.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';
import type { Zone } from '../zones/zone.js';
import { type Client, ClientRegistry, type ClientRegistryOptions } from './client-registry.js';
import type { PictureMember } from './picture-member.js';
import type { PictureSocket } from './picture-socket.js';

/** One member the server serves: its picture, its sign-in token, its zones. */
export interface ServedMember {
  readonly member: PictureMember;
  readonly model: PictureModel;
  /** Users sign in with it (`Authorization: Bearer`, the WebSocket's hello). */
  readonly token: string;
}

export interface PictureServerOptions {
  readonly members: readonly ServedMember[];
  /** Every zone; each member gets the shared ones and the private ones it is a member of. */
  readonly zones: readonly Zone[];
  /** Postgres history and acknowledgements; undefined: those endpoints answer 503. */
  readonly history: PictureHistory | undefined;
  readonly acknowledgements: AcknowledgementStore | undefined;
  /** The page's files (esbuild output); default dist/web of this package. */
  readonly webRoot?: string;
  readonly frames?: ClientRegistryOptions;
  /** Where failed requests are logged (a 500's cause); default silent. */
  readonly log?: Logger;
}

/** Most positions one history request returns (the page says when a window was cut). */
export const HISTORY_LIMIT_ROWS = 100_000;
const HOUR_MS = 3_600_000;
/** The longest history window one request may ask for. */
const MAX_WINDOW_MS = 7 * 24 * HOUR_MS;

/**
 * The operations picture's HTTP side (issue 15, DESIGN.md §7): the page's static files, a JSON
 * API and the WebSocket, on fastify. Every API call and every socket is signed in as one member
 * by its token, and reads only that member's picture, zones and history (as its Postgres role).
 */
export function createPictureServer(options: PictureServerOptions): {
  app: FastifyInstance;
  clients: ClientRegistry;
} {
  const byToken = new Map(options.members.map((m) => [m.token, m]));
  const clients = new ClientRegistry(options.frames);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const webRoot = options.webRoot ?? defaultWebRoot();

  app.register(fastifyStatic, { root: webRoot, index: 'index.html' });
  app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  app.addHook('onClose', async () => clients.close());
  // A member whose Postgres role is missing gets no history rather than the owner's (§6).
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof MemberSessionError) {
      return reply.code(503).send({ error: error.message, code: error.code });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) options.log?.error({ err: errorText(error) }, 'picture request failed');
    return reply
      .code(status)
      .send({ error: status >= 500 ? 'server error' : (error as Error).message });
  });

  const signedIn = (request: FastifyRequest): ServedMember | undefined => {
    const header = request.headers.authorization;
    if (header === undefined || !header.startsWith('Bearer ')) return undefined;
    return byToken.get(header.slice('Bearer '.length).trim());
  };

  app.register(async (api) => {
    api.addHook('preHandler', async (request, reply) => {
      const served = signedIn(request);
      if (served === undefined) return reply.code(401).send({ error: 'sign in with a token' });
      (request as FastifyRequest & { served: ServedMember }).served = served;
    });
    const servedOf = (request: FastifyRequest): ServedMember =>
      (request as FastifyRequest & { served: ServedMember }).served;

    api.get('/api/session', async (request) => {
      const { member, model } = servedOf(request);
      return {
        member: member.id,
        name: member.name,
        vessels: model.vesselCount,
        alerts: model.alertCount,
        pictureTimeMs: model.pictureTimeMs,
        history: options.history !== undefined,
      };
    });

    api.get('/api/zones', async (request) => {
      const id = servedOf(request).member.id;
      return {
        type: 'FeatureCollection',
        features: options.zones
          .filter((zone) => zone.members === undefined || zone.members.includes(id))
          .map((zone) => ({
            type: 'Feature',
            properties: { id: zone.id, name: zone.name, kind: zone.kind },
            geometry: { type: 'MultiPolygon', coordinates: zone.polygons },
          })),
      };
    });

    api.get('/api/alerts', async (request) => {
      const { member, model } = servedOf(request);
      const acknowledged =
        options.acknowledgements === undefined
          ? []
          : await options.acknowledgements.latest(member.id);
      return { alerts: [...model.alerts()], acknowledgements: acknowledged };
    });

    api.post<{ Params: { id: string }; Body: { by?: unknown; revision?: unknown } }>(
      '/api/alerts/:id/acknowledge',
      async (request, reply) => {
        const { member, model } = servedOf(request);
        const alert = model.alert(request.params.id);
        if (alert === undefined) return reply.code(404).send({ error: 'no such alert' });
        const by = request.body?.by;
        if (typeof by !== 'string' || by.trim() === '' || by.length > 200) {
          return reply.code(400).send({ error: 'by: the name of who acknowledges (1-200 chars)' });
        }
        if (options.acknowledgements === undefined) {
          return reply.code(503).send({ error: 'no Postgres configured' });
        }
        const revision =
          typeof request.body?.revision === 'number' ? request.body.revision : alert.revision;
        return options.acknowledgements.acknowledge(member.id, alert.id, revision, by.trim());
      },
    );

    api.get<{ Params: { mmsi: string } }>('/api/vessels/:mmsi', async (request, reply) => {
      const { model } = servedOf(request);
      const mmsi = Number(request.params.mmsi);
      const vessel = Number.isInteger(mmsi) ? model.vessel(mmsi) : undefined;
      if (vessel === undefined) return reply.code(404).send({ error: 'not in this picture' });
      return { track: vessel.track, alerts: model.alertsOf(mmsi) };
    });

    api.get<{ Params: { mmsi: string }; Querystring: { from?: string; to?: string } }>(
      '/api/vessels/:mmsi/track',
      async (request, reply) => {
        const { member, model } = servedOf(request);
        const mmsi = Number(request.params.mmsi);
        if (!Number.isInteger(mmsi) || model.vessel(mmsi) === undefined) {
          return reply.code(404).send({ error: 'not in this picture' });
        }
        const window = timeWindow(request.query, model.pictureTimeMs, 6 * HOUR_MS);
        if (typeof window === 'string') return reply.code(400).send({ error: window });
        if (options.history === undefined) {
          return reply.code(503).send({ error: 'no Postgres configured' });
        }
        const positions = await options.history.vesselTrack(
          member.role,
          mmsi,
          window.from,
          window.to,
          HISTORY_LIMIT_ROWS,
        );
        return { ...window, positions, cut: positions.length === HISTORY_LIMIT_ROWS };
      },
    );

    api.get<{ Querystring: Record<string, string | undefined> }>(
      '/api/history',
      async (request, reply) => {
        const { member, model } = servedOf(request);
        const window = timeWindow(request.query, model.pictureTimeMs, HOUR_MS);
        if (typeof window === 'string') return reply.code(400).send({ error: window });
        const box = parseViewport({
          west: Number(request.query.west ?? -180),
          south: Number(request.query.south ?? -90),
          east: Number(request.query.east ?? 180),
          north: Number(request.query.north ?? 90),
        });
        if (box === undefined) return reply.code(400).send({ error: 'west/south/east/north' });
        if (options.history === undefined) {
          return reply.code(503).send({ error: 'no Postgres configured' });
        }
        // A box across the antimeridian is read as its two halves, merged oldest first.
        const halves = await Promise.all(
          viewportBoxes(box).map((half) =>
            options.history!.positionsInWindow(
              member.role,
              half,
              window.from,
              window.to,
              HISTORY_LIMIT_ROWS,
            ),
          ),
        );
        const positions =
          halves.length === 1
            ? halves[0]!
            : halves
                .flat()
                .sort((p, q) => p.time - q.time)
                .slice(0, HISTORY_LIMIT_ROWS);
        const cut = halves.some((half) => half.length === HISTORY_LIMIT_ROWS);
        return { ...window, positions, cut };
      },
    );

    api.get<{ Querystring: { q?: string } }>('/api/search', async (request) => {
      const { model } = servedOf(request);
      return {
        vessels: model.search(String(request.query.q ?? ''), 20).map((v) => ({
          mmsi: v.track.mmsi,
          shipName: v.track.shipName,
          callSign: v.track.callSign,
          lat: v.track.lat,
          lon: v.track.lon,
        })),
      };
    });
  });

  app.register(async (live) => {
    // The socket signs in with its first message ({type: 'hello', token}): a browser cannot set
    // headers on a WebSocket, and a token in the URL would end up in logs and history.
    live.get('/ws', { websocket: true }, (socket) => {
      let client: Client | undefined;
      const ws = socket as unknown as PictureSocket & {
        on(event: 'message', listener: (data: Buffer, binary: boolean) => void): void;
        on(event: 'close', listener: () => void): void;
      };
      ws.on('message', (data, binary) => {
        const message = binary ? undefined : parseJson(data.toString('utf8'));
        if (message === undefined) {
          ws.close(1003, 'JSON text messages only');
          return;
        }
        if (client === undefined) {
          const served = message.type === 'hello' ? byToken.get(String(message.token)) : undefined;
          if (served === undefined) {
            ws.close(1008, 'sign in with a token');
            return;
          }
          client = clients.add(ws, served.member.id, served.model);
          ws.send(
            JSON.stringify({
              type: 'hello',
              member: served.member.id,
              name: served.member.name,
              pictureTimeMs: served.model.pictureTimeMs,
            }),
          );
          return;
        }
        if (message.type === 'viewport') {
          const viewport = parseViewport(message);
          if (viewport !== undefined) clients.setViewport(client, viewport);
        }
      });
      ws.on('close', () => {
        if (client !== undefined) clients.remove(client);
      });
    });
  });

  return { app, clients };
}

/** [from, to) from `from`/`to` query parameters (epoch ms or ISO 8601), defaulting to `span` before `now`. */
function timeWindow(
  query: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  spanMs: number,
): { from: number; to: number } | string {
  const to = query.to === undefined ? nowMs + 1 : parseTime(query.to);
  if (to === undefined) return 'to: epoch ms or ISO 8601';
  const from = query.from === undefined ? to - spanMs : parseTime(query.from);
  if (from === undefined) return 'from: epoch ms or ISO 8601';
  if (!(from < to)) return 'from must be before to';
  if (to - from > MAX_WINDOW_MS) return 'the window is longer than 7 days';
  return { from, to };
}

function parseTime(text: string): number | undefined {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(value) ? value : undefined;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** dist/web beside this module's dist/serve, or the package's dist/web when run from src/. */
export function defaultWebRoot(): string {
  const built = fileURLToPath(new URL('../web/', import.meta.url));
  return existsSync(`${built}index.html`)
    ? built
    : fileURLToPath(new URL('../../dist/web/', import.meta.url));
}
