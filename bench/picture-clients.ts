/**
 * The clients of bench/picture-server.ts, in a process of their own (so the server's CPU figure is
 * the server's): WebSocket clients (Node's `--experimental-websocket`, undici) that sign in,
 * subscribe to a viewport and count what they receive, and one raw TCP client that does the
 * WebSocket handshake, subscribes to the whole world, and then never reads.
 */
import { connect } from 'node:net';

interface Start {
  readonly url: string;
  readonly token: string;
  readonly viewports: { west: number; south: number; east: number; north: number }[];
}

const received: { bytes: number; frames: number }[] = [];

process.on('message', (message: { type: string } & Partial<Start>) => {
  if (message.type === 'start') start(message as Start);
  if (message.type === 'report') {
    process.send!({ type: 'report', received: received.map((r) => ({ ...r })) });
    for (const r of received) {
      r.bytes = 0;
      r.frames = 0;
    }
  }
  if (message.type === 'stop') process.exit(0);
});

function start({ url, token, viewports }: Start): void {
  const wsUrl = `${url.replace(/^http/, 'ws')}/ws`;
  for (const viewport of viewports) {
    const counter = { bytes: 0, frames: 0 };
    received.push(counter);
    const socket = new WebSocket(wsUrl);
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'hello', token }));
      socket.send(JSON.stringify({ type: 'viewport', ...viewport }));
    });
    socket.addEventListener('message', (event) => {
      if (event.data instanceof ArrayBuffer) {
        counter.bytes += event.data.byteLength;
        counter.frames++;
      }
    });
  }
  neverReads(url, token);
  process.send!({ type: 'started' });
}

/** A client that subscribes to everything and then stops reading its socket. */
function neverReads(url: string, token: string): void {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname, () => {
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    socket.once('data', () => {
      socket.write(maskedText(JSON.stringify({ type: 'hello', token })));
      socket.write(
        maskedText(
          JSON.stringify({ type: 'viewport', west: -180, south: -90, east: 180, north: 90 }),
        ),
      );
      socket.pause();
    });
  });
}

/** A client-to-server text frame (RFC 6455 §5.2: clients mask; zero mask for simplicity). */
function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}
