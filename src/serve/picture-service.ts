import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AcknowledgementStore } from '../io/postgres/acknowledgement-store.js';
import { PictureHistory } from '../io/postgres/picture-history.js';
import { createPostgresPool } from '../io/postgres/postgres-pool.js';
import { PictureModel } from '../picture/picture-model.js';
import type { Logger } from '../util/logger.js';
import type { Zone } from '../zones/zone.js';
import type { ClientRegistry, ClientRegistryOptions } from './client-registry.js';
import type { PictureMember } from './picture-member.js';
import { PictureReader, type PictureReaderOptions, type PictureTopic } from './picture-reader.js';
import { createPictureServer, defaultWebRoot, type ServedMember } from './picture-server.js';

export interface PictureServiceOptions {
  readonly members: readonly PictureMember[];
  /** Sign-in token per member id; a member without one cannot be signed in to. */
  readonly tokens: ReadonlyMap<string, string>;
  readonly bootstrapServers: string;
  /** Postgres for history and acknowledgements; undefined: live picture only. */
  readonly databaseUrl: string | undefined;
  readonly zones: readonly Zone[];
  /** Default 127.0.0.1: an operations picture is not put on a network by accident. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  readonly webRoot?: string;
  readonly frames?: ClientRegistryOptions;
  /** Vessels not heard for this long (event time) leave the picture; default 24 h. */
  readonly forgetAfterMs?: number | undefined;
  readonly consumer?: PictureReaderOptions['consumer'];
  readonly log: Logger;
}

/** A running `tidewatch serve`. */
export interface PictureService {
  /** `http://host:port`. */
  readonly url: string;
  /** The page's address for each member that has a token (the token in the URL's fragment). */
  readonly links: readonly { member: string; url: string }[];
  readonly models: ReadonlyMap<string, PictureModel>;
  readonly reader: PictureReader;
  readonly clients: ClientRegistry;
  stop(): Promise<void>;
}

/**
 * Starts `tidewatch serve` (issue 15): one picture model per member, the Kafka reader filling
 * them, Postgres for history and acknowledgements, and the fastify server.
 */
export async function startPictureService(options: PictureServiceOptions): Promise<PictureService> {
  const log = options.log.child({ component: 'serve' });
  const models = new Map(
    options.members.map((m) => [m.id, new PictureModel({ forgetAfterMs: options.forgetAfterMs })]),
  );
  const served: ServedMember[] = [];
  for (const member of options.members) {
    const token = options.tokens.get(member.id);
    if (token === undefined) {
      log.warn({ member: member.id }, 'no sign-in token for this member: its picture is closed');
      continue;
    }
    served.push({ member, model: models.get(member.id)!, token });
  }
  const pool =
    options.databaseUrl === undefined
      ? undefined
      : createPostgresPool({
          databaseUrl: options.databaseUrl,
          log,
          applicationName: 'tidewatch-serve',
        });
  const webRoot = options.webRoot ?? defaultWebRoot();
  if (!existsSync(join(webRoot, 'index.html'))) {
    log.warn(
      { webRoot },
      'the page is not built (npm run build:web): only the API and WebSocket work',
    );
  }
  const { app, clients } = createPictureServer({
    members: served,
    zones: options.zones,
    history: pool === undefined ? undefined : new PictureHistory(pool),
    acknowledgements: pool === undefined ? undefined : new AcknowledgementStore(pool),
    webRoot,
    frames: options.frames,
    log,
  });
  const topics: PictureTopic[] = [];
  const memberOfTopic = new Map<string, string>();
  for (const member of options.members) {
    const model = models.get(member.id)!;
    topics.push({ topic: member.tracksTopic, carries: 'tracks', model });
    topics.push({ topic: member.alertsTopic, carries: 'alerts', model });
    memberOfTopic.set(member.alertsTopic, member.id);
  }
  let reader: PictureReader | undefined;
  try {
    reader = await PictureReader.start({
      bootstrapServers: options.bootstrapServers,
      topics,
      log,
      consumer: options.consumer,
      onAlert: (topic, alert) => clients.pushAlert(memberOfTopic.get(topic.topic)!, alert),
    });
    const address = await app.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
    });
    const url = address.replace('[::1]', 'localhost');
    log.info({ url, members: served.length }, 'picture served');
    const startedReader = reader;
    return {
      url,
      links: served.map((s) => ({ member: s.member.id, url: `${url}/#token=${s.token}` })),
      models,
      reader: startedReader,
      clients,
      stop: async () => {
        await app.close();
        await startedReader.stop();
        await pool?.end();
      },
    };
  } catch (error) {
    await app.close().catch(() => {});
    await reader?.stop().catch(() => {});
    await pool?.end().catch(() => {});
    throw error;
  }
}
