import { connect, type Socket } from 'node:net';
import type { FeedSource, FeedSourceEvents, FeedSourceStats } from './feed-source.js';

export interface TcpSourceOptions {
  readonly host: string;
  readonly port: number;
  /** First wait before reconnecting, milliseconds; doubles per failed attempt; default 1 000. */
  readonly reconnectMinMs?: number;
  /** Longest wait before reconnecting, milliseconds; default 30 000. */
  readonly reconnectMaxMs?: number;
  /** How long a connection attempt may take, milliseconds; default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Idle time before TCP keep-alive probes start, milliseconds; default 30 000. */
  readonly keepAliveMs?: number;
}

/**
 * The wait before reconnection attempt `failures` (1, 2, ...): `minMs` doubled per earlier
 * failure, at most `maxMs` (1 s, 2 s, 4 s, ... 30 s with the defaults).
 */
export function reconnectDelayMs(failures: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

/**
 * A TCP client of a receiver or provider that serves NMEA lines (a gpsd-style or AIS-catcher
 * TCP server, a provider's stream). It reconnects for ever with exponential backoff when the
 * connection is refused or drops, logging each attempt; the backoff starts again from
 * `reconnectMinMs` once a connection has delivered data. Keep-alive probes find a peer that
 * vanished without closing.
 *
 * Backpressure: `pause()` stops reading the socket; the kernel's buffers fill and TCP flow control
 * slows the sender. A connection made while paused starts paused.
 */
export class TcpSource implements FeedSource {
  readonly description: string;
  private readonly options: TcpSourceOptions;
  private socket: Socket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private connections = 0;
  private paused = false;
  private stopped = false;
  private finish: (() => void) | undefined;

  constructor(options: TcpSourceOptions) {
    this.options = options;
    this.description = `tcp ${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  }

  run(events: FeedSourceEvents): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.finish = resolve;
      events.ready(undefined);
      this.connect(events);
    });
  }

  pause(): void {
    this.paused = true;
    this.socket?.pause();
  }

  resume(): void {
    this.paused = false;
    if (!this.stopped) this.socket?.resume();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    // Without a socket nothing is left to close; otherwise `close` finishes.
    if (this.socket === undefined) this.finish?.();
    else this.socket.destroy();
  }

  stats(): FeedSourceStats {
    return { connections: this.connections, droppedDatagrams: 0 };
  }

  private connect(events: FeedSourceEvents): void {
    const { host, port } = this.options;
    const socket = connect({ host, port });
    this.socket = socket;
    if (this.paused) socket.pause();
    let connected = false;
    let received = false;
    let lastError: Error | undefined;
    // An idle timeout armed before the connection is made bounds the attempt (a SYN into a
    // black hole otherwise waits for the kernel's retries, about 2 minutes on Linux).
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 10_000;
    socket.setTimeout(connectTimeoutMs, () =>
      socket.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)),
    );
    socket.on('connect', () => {
      connected = true;
      this.connections++;
      socket.setTimeout(0);
      socket.setKeepAlive(true, this.options.keepAliveMs ?? 30_000);
      events.log.info(`${this.description}: connected`);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!received) {
        received = true;
        this.failures = 0;
      }
      events.data(chunk);
    });
    socket.on('error', (error) => {
      lastError = error;
    });
    socket.on('close', () => {
      this.socket = undefined;
      if (connected) events.boundary('disconnect');
      if (this.stopped) {
        this.finish?.();
        return;
      }
      this.failures++;
      const delayMs = reconnectDelayMs(
        this.failures,
        this.options.reconnectMinMs ?? 1000,
        this.options.reconnectMaxMs ?? 30_000,
      );
      const why = connected
        ? `connection closed${lastError === undefined ? ' by the server' : ` (${lastError.message})`}`
        : `cannot connect (${lastError?.message ?? 'closed'})`;
      events.log.warn(
        `${this.description}: ${why}; reconnecting in ${delayMs / 1000} s (attempt ${this.failures})`,
      );
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.connect(events);
      }, delayMs);
    });
  }
}
