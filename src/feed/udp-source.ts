import { createSocket, type Socket } from 'node:dgram';
import type { FeedSource, FeedSourceEvents, FeedSourceStats } from './feed-source.js';

export interface UdpSourceOptions {
  /** Port to listen on; 0 picks a free one (tests), reported through `ready`. */
  readonly port: number;
  /** Address to bind; default 0.0.0.0 (every IPv4 interface). */
  readonly host?: string | undefined;
}

/**
 * Listens for NMEA datagrams, as receivers and AIS dispatchers send them (each datagram one or
 * more whole lines; the last may lack its newline).
 *
 * Backpressure: UDP has no flow control and Node cannot stop reading a datagram socket, so while
 * paused, datagrams are dropped and counted (`droppedDatagrams`, logged once per pause) instead of
 * piling up in memory; the kernel would drop them the same way once its receive buffer filled.
 * A pause only happens when librdkafka's local queue is full: the brokers have been unreachable
 * for a long time.
 */
export class UdpSource implements FeedSource {
  readonly description: string;
  private readonly options: UdpSourceOptions;
  private socket: Socket | undefined;
  private paused = false;
  private stopped = false;
  private bound = false;
  private droppedDatagrams = 0;
  private droppedThisPause = 0;
  private events: FeedSourceEvents | undefined;

  constructor(options: UdpSourceOptions) {
    this.options = options;
    this.description = `udp ${options.host ?? '0.0.0.0'}:${options.port}`;
  }

  run(events: FeedSourceEvents): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.events = events;
    const host = this.options.host ?? '0.0.0.0';
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      this.socket = socket;
      let failure: Error | undefined;
      socket.on('message', (datagram) => {
        if (this.paused) {
          if (this.droppedThisPause++ === 0) {
            events.log.warn(
              `${this.description}: Kafka is not taking messages; dropping datagrams until it does`,
            );
          }
          this.droppedDatagrams++;
          return;
        }
        events.data(datagram);
        events.boundary('datagram');
      });
      socket.once('error', (error) => {
        failure = new Error(`${this.description}: ${error.message}`, { cause: error });
        socket.close();
      });
      socket.once('close', () => {
        this.socket = undefined;
        this.bound = false;
        if (failure === undefined) resolve();
        else reject(failure);
      });
      socket.bind(this.options.port, host, () => {
        this.bound = true;
        if (this.stopped) {
          socket.close();
          return;
        }
        events.ready(socket.address().port);
      });
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    if (this.droppedThisPause > 0) {
      this.events?.log.warn(
        `${this.description}: Kafka takes messages again; ${this.droppedThisPause} datagram(s) dropped meanwhile`,
      );
      this.droppedThisPause = 0;
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    // Before `bind` completes, its callback (or the bind error) closes the socket.
    if (this.bound) this.socket?.close();
  }

  stats(): FeedSourceStats {
    return { connections: 0, droppedDatagrams: this.droppedDatagrams };
  }
}
