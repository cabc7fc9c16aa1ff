import type { Logger } from '../util/logger.js';

/** Where a live feed comes from (`tidewatch feed --tcp | --udp | --file`). */
export type FeedSourceSpec =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'udp'; readonly port: number; readonly host?: string }
  | { readonly kind: 'file'; readonly path: string };

/** Why the bytes since the last newline end a line. */
export type BoundaryKind = 'datagram' | 'disconnect' | 'end';

/** What a source tells the feed bridge. Called on the event loop, never re-entered. */
export interface FeedSourceEvents {
  /** The source is reading (UDP bound, file open, TCP connecting); the UDP port when bound. */
  ready(localPort: number | undefined): void;
  /** The next bytes of the stream (TCP, file) or of a datagram (UDP). */
  data(chunk: Buffer): void;
  /** The bytes since the last newline are a whole line: end of a datagram, connection or file. */
  boundary(kind: BoundaryKind): void;
  /** Lines for the operator: connections (info), retries and drops (warn). */
  readonly log: Logger;
}

/** Counters of a source, zero where they do not apply. */
export interface FeedSourceStats {
  /** TCP connections made (the first and every reconnection). */
  readonly connections: number;
  /** UDP datagrams dropped while Kafka pushed back (UDP cannot be paused). */
  readonly droppedDatagrams: number;
}

/**
 * A byte stream of NMEA lines with flow control. `run` reads until the source ends by itself
 * (the end of a file) or `stop()` is called; TCP and UDP sources never end by themselves.
 */
export interface FeedSource {
  /** For logs: `tcp ais.example.org:5631`, `udp 0.0.0.0:10110`, `file feed.nmea.gz`. */
  readonly description: string;
  /**
   * Reads into `events`. Resolves when the source has ended or been stopped and released its
   * socket or file; rejects when it cannot go on (the file is unreadable, the UDP port is taken).
   */
  run(events: FeedSourceEvents): Promise<void>;
  /** Stops taking bytes in until `resume()`: Kafka is pushing back. */
  pause(): void;
  resume(): void;
  /** Stops reading for good (SIGINT, SIGTERM); `run` resolves once closed. Idempotent. */
  stop(): void;
  stats(): FeedSourceStats;
}
