import { Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type HealthServer,
  type HealthServerOptions,
  startHealthServer,
} from '../../src/metrics/health-server.js';

interface Reply {
  status: number;
  contentType: string | undefined;
  body: string;
}

function get(url: string, method = 'GET', agent: Agent | false = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Turns a hang into a failure with a message instead of the 120 s test timeout. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const open: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function start(overrides: Partial<HealthServerOptions> = {}): Promise<HealthServer> {
  const server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    metrics: async () => 'tidewatch_up 1\n',
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    live: () => true,
    ready: () => ({ ready: true }),
    ...overrides,
  });
  open.push(server);
  return server;
}

describe('startHealthServer', () => {
  it('serves the metrics text with the given content type', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const reply = await get(`${server.url}/metrics`);
    expect(reply).toEqual({
      status: 200,
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      body: 'tidewatch_up 1\n',
    });
  });

  it('answers 500 with the message when collecting metrics fails', async () => {
    const server = await start({
      metrics: async () => {
        throw new Error('source exploded');
      },
    });
    const reply = await get(`${server.url}/metrics`);
    expect(reply.status).toBe(500);
    expect(reply.body).toContain('source exploded');
  });

  it('answers /livez with 200 ok or 503', async () => {
    let live = true;
    const server = await start({ live: () => live });
    expect(await get(`${server.url}/livez`)).toMatchObject({ status: 200, body: 'ok' });
    live = false;
    expect((await get(`${server.url}/livez`)).status).toBe(503);
  });

  it('answers /readyz with 200 ready or 503 and the reason', async () => {
    let state: { ready: boolean; reason?: string } = { ready: false, reason: 'joining group' };
    const server = await start({ ready: () => state });
    const notReady = await get(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toContain('joining group');
    state = { ready: true };
    expect(await get(`${server.url}/readyz`)).toMatchObject({ status: 200, body: 'ready' });
  });

  it('fails a probe whose callback throws', async () => {
    const server = await start({
      live: () => {
        throw new Error('core gone');
      },
      ready: () => {
        throw new Error('no consumer');
      },
    });
    expect(await get(`${server.url}/livez`)).toMatchObject({ status: 503 });
    const ready = await get(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toContain('no consumer');
  });

  it('ignores a query string but answers 404 for other paths and 405 for other methods', async () => {
    const server = await start();
    expect((await get(`${server.url}/livez?verbose=1`)).status).toBe(200);
    expect((await get(`${server.url}/`)).status).toBe(404);
    expect((await get(`${server.url}/metrics/extra`)).status).toBe(404);
    expect((await get(`${server.url}/metrics`, 'POST')).status).toBe(405);
    expect((await get(`${server.url}/readyz`, 'DELETE')).status).toBe(405);
  });

  it('rejects a port already in use with a code and the port in the message', async () => {
    const first = await start();
    const second = start({ port: first.port });
    await expect(second).rejects.toMatchObject({
      name: 'HealthServerError',
      code: 'HEALTH_PORT_IN_USE',
      message: expect.stringContaining(String(first.port)),
    });
  });

  it('rejects a port that is not one, naming it', async () => {
    await expect(start({ port: 70_000 })).rejects.toThrow(/70000/);
    await expect(start({ port: -1 })).rejects.toThrow(/-1/);
  });

  it('closes with an idle keep-alive connection open', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await get(`${server.url}/livez`, 'GET', agent)).status).toBe(200);
      expect(Object.keys(agent.freeSockets)).toHaveLength(1); // the connection stays open
      await within(server.close(), 3000, 'close()');
    } finally {
      agent.destroy();
    }
  });

  it('closes while a scrape is still running, and close() can be called again', async () => {
    let scrapeStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      scrapeStarted = resolve;
    });
    const server = await start({
      metrics: () => {
        scrapeStarted();
        return new Promise<string>(() => {}); // never answers
      },
    });
    const pending = get(`${server.url}/metrics`);
    await started;
    const closing = server.close();
    expect(server.close()).toBe(closing);
    await within(closing, 3000, 'close()');
    await expect(pending).rejects.toThrow();
    await expect(get(`${server.url}/livez`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await server.close();
  });

  it('binds all interfaces by default and gives a URL a local client can use', async () => {
    const server = await start({ host: undefined });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await get(`${server.url}/livez`)).status).toBe(200);
  });
});
