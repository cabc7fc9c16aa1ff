import { createServer, type Server, Socket } from 'node:net';
import { freePort } from '../../../src/io/free-port.js';

/**
 * A TCP forwarder in front of Postgres, to make it "go away" and "come back" without touching
 * the real server: while closed, its port refuses connections (ECONNREFUSED, like a stopped
 * server); `close()` also cuts every open connection (like a restart); `cutAfterBytes` makes the
 * next connections die after that many bytes from the client (a crash in the middle of a COPY).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly connectionsOpen = new Set<{
    client: Socket;
    upstream: Socket;
    sentSinceCut: number;
  }>();
  private cutAfter: number | undefined;
  /** Connections accepted so far. */
  connections = 0;

  private constructor(
    readonly port: number,
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Reserves a free port and returns a closed proxy on it. */
  static async reserve(targetHost: string, targetPort: number): Promise<TcpProxy> {
    return new TcpProxy(await freePort(), targetHost, targetPort);
  }

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  /**
   * From now on, every connection (open or new) is cut once it has sent `bytes` more bytes from
   * the client; undefined: never.
   */
  cutAfterBytes(bytes: number | undefined): void {
    this.cutAfter = bytes;
    for (const connection of this.connectionsOpen) connection.sentSinceCut = 0;
  }

  async open(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and cuts every open connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const { client, upstream } of this.connectionsOpen) {
      client.destroy();
      upstream.destroy();
    }
    this.connectionsOpen.clear();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    this.connections++;
    const upstream = new Socket();
    const connection = { client, upstream, sentSinceCut: 0 };
    this.connectionsOpen.add(connection);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.connectionsOpen.delete(connection);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    upstream.connect(this.targetPort, this.targetHost);
    upstream.on('data', (data) => client.write(data));
    client.on('data', (data: Buffer) => {
      const limit = this.cutAfter;
      if (limit !== undefined) {
        connection.sentSinceCut += data.length;
        if (connection.sentSinceCut > limit) {
          upstream.write(data.subarray(0, data.length - (connection.sentSinceCut - limit)));
          end();
          return;
        }
      }
      upstream.write(data);
    });
  }
}
