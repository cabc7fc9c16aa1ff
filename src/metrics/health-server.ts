import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodedError } from '../util/coded-error.js';
import { errorText } from '../util/error-text.js';

/** Why the health server did not start. Fixed codes, in the style of kafka-error.ts. */
export const HEALTH_SERVER_ERROR_CODES = [
  /** Another process (or another worker in this one) already listens on the port. */
  'HEALTH_PORT_IN_USE',
  /** Any other listen failure: no such address, no permission for a port below 1024, ... */
  'HEALTH_LISTEN_FAILED',
] as const;

export type HealthServerErrorCode = (typeof HEALTH_SERVER_ERROR_CODES)[number];

export class HealthServerError extends CodedError<HealthServerErrorCode> {
  override readonly name = 'HealthServerError';
}

export interface HealthServerOptions {
  /** TCP port; 0 picks any free one (see `HealthServer.port`). */
  port: number;
  /** Address to bind; default all IPv4 interfaces, so Prometheus and Kubernetes probes reach it. */
  host?: string;
  /** The exposition text for GET /metrics. */
  metrics: () => Promise<string>;
  /** Content-Type of the exposition text (the registry's). */
  contentType: string;
  /** False when the process should be restarted (GET /livez answers 503). */
  live: () => boolean;
  /** Not ready: GET /readyz answers 503 with the reason, and the pod gets no traffic. */
  ready: () => { ready: boolean; reason?: string };
}

export interface HealthServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** A URL a local client can use, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  /** Stops listening and drops open connections; calling it again returns the same promise. */
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';

/** Serves /metrics, /livez and /readyz for the streaming worker (DESIGN.md §2.1 `run`). */
export function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { port, host = '0.0.0.0' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return Promise.reject(
      new RangeError(`Unexpected health server port: ${port} (expected an integer 0..65535).`),
    );
  }

  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      // handle() answers every failure itself; this only catches a write to a dead socket.
      response.destroy(error instanceof Error ? error : undefined);
    });
  });

  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${host}:${port}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new HealthServerError(
              'HEALTH_PORT_IN_USE',
              `Health server port ${port} is already in use (${where}); choose another metrics port.`,
              { cause: error },
            )
          : new HealthServerError(
              'HEALTH_LISTEN_FAILED',
              `Health server could not listen on ${where}: ${error.message}`,
              { cause: error },
            ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const bound = (server.address() as AddressInfo).port;
      let closing: Promise<void> | undefined;
      resolve({
        port: bound,
        url: `http://${clientHost(host)}:${bound}`,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            // Without this, close() waits for idle keep-alive sockets (e.g. Prometheus') to time out.
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}

async function handle(
  options: HealthServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?', 1)[0];
  if (path !== '/metrics' && path !== '/livez' && path !== '/readyz') {
    send(response, 404, TEXT, 'not found');
    return;
  }
  if (request.method !== 'GET') {
    response.setHeader('Allow', 'GET');
    send(response, 405, TEXT, 'method not allowed');
    return;
  }

  if (path === '/metrics') {
    let text: string;
    try {
      text = await options.metrics();
    } catch (error) {
      send(response, 500, TEXT, `metrics collection failed: ${errorText(error)}`);
      return;
    }
    send(response, 200, options.contentType, text);
  } else if (path === '/livez') {
    // A probe that throws counts as failed: the callback is the process' own view of itself.
    let live: boolean;
    try {
      live = options.live();
    } catch (error) {
      send(response, 503, TEXT, `not live: ${errorText(error)}`);
      return;
    }
    send(response, live ? 200 : 503, TEXT, live ? 'ok' : 'not live');
  } else {
    let state: { ready: boolean; reason?: string };
    try {
      state = options.ready();
    } catch (error) {
      send(response, 503, TEXT, `not ready: ${errorText(error)}`);
      return;
    }
    if (state.ready) send(response, 200, TEXT, 'ready');
    else send(response, 503, TEXT, `not ready: ${state.reason ?? 'no reason given'}`);
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

/** A wildcard bind address is not something a client can connect to. */
function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
