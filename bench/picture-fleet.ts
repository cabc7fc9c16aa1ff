import type { FusedTrack } from '../src/fusion/fused-track.js';
import { PictureModel } from '../src/picture/picture-model.js';
import type { Viewport } from '../src/picture/viewport.js';
import type { ClientRegistryOptions } from '../src/serve/client-registry.js';
import { createPictureServer } from '../src/serve/picture-server.js';
import type { Random } from './prng.js';

/** A track as decodeFusedTrack builds it: one literal, every field in order (one hidden class). */
export function benchTrack(
  mmsi: number,
  lon: number,
  lat: number,
  lastSeen: number,
  shipType = 70,
): FusedTrack {
  return {
    mmsi,
    lat,
    lon,
    sog: 12,
    cog: 90,
    heading: 90,
    navStatus: 0,
    lastSeen,
    shipName: undefined,
    callSign: undefined,
    imo: undefined,
    shipType,
    toBow: undefined,
    toStern: undefined,
    toPort: undefined,
    toStarboard: undefined,
    draught: undefined,
    destination: undefined,
    sources: SOURCES,
    reportCount: 1,
    zones: NO_ZONES,
  };
}
const SOURCES = ['ca'];
const NO_ZONES: string[] = [];

/** A picture of `vessels` seeded vessels spread over `area`; `position` holds lon, lat per vessel. */
export function benchFleet(
  vessels: number,
  area: Viewport,
  random: Random,
): { model: PictureModel; position: Float64Array } {
  const model = new PictureModel();
  const position = new Float64Array(vessels * 2);
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < vessels; i++) {
    position[2 * i] = random.uniform(area.west, area.east);
    position[2 * i + 1] = random.uniform(area.south, area.north);
    // Ship types spread over the groups the page colours (ITU-R M.1371 Table 53).
    const shipType = SHIP_TYPES[i % SHIP_TYPES.length]!;
    model.applyTrack(
      benchTrack(200_000_000 + i, position[2 * i]!, position[2 * i + 1]!, start, shipType),
    );
  }
  return { model, position };
}

const SHIP_TYPES = [70, 80, 60, 30, 40, 52, 37, 0] as const;

/** The sign-in token of the bench's one member. */
export const BENCH_TOKEN = 'bench-token-0123456789';

/** The picture server of one member ('ca', no Postgres, no zones) over `model`, listening. */
export async function benchPictureServer(
  model: PictureModel,
  webRoot: string,
  frames?: ClientRegistryOptions,
): Promise<ReturnType<typeof createPictureServer> & { url: string }> {
  const server = createPictureServer({
    members: [
      {
        member: { id: 'ca', name: 'Bench', tracksTopic: 't', alertsTopic: 'a', role: undefined },
        model,
        token: BENCH_TOKEN,
      },
    ],
    zones: [],
    history: undefined,
    acknowledgements: undefined,
    webRoot,
    frames,
  });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...server, url };
}
