import { ClientView } from '../picture/client-view.js';
import type { PictureAlert } from '../picture/picture-alert.js';
import type { PictureModel } from '../picture/picture-model.js';
import { encodeTrackFrame } from '../picture/track-frame.js';
import type { Viewport } from '../picture/viewport.js';
import type { PictureSocket } from './picture-socket.js';

export interface ClientRegistryOptions {
  /** Frames per second at most, per client; default 4. */
  readonly framesPerSecond?: number;
  /**
   * A client whose socket holds more than this many unsent bytes skips frames until it has
   * drained; default 1 MiB. What it missed comes in its next frame (ClientView), so skipping
   * loses nothing and the server holds at most this much (plus one frame) per slow client.
   */
  readonly skipAboveBufferedBytes?: number;
  /**
   * A client whose socket holds more than this even for alerts (which are never skipped) is
   * disconnected (close code 1013, "try again later"); default 16 MiB.
   */
  readonly closeAboveBufferedBytes?: number;
  /** Most tracks per frame (ClientView). */
  readonly maxTracksPerFrame?: number;
}

/** Counters of the frame pump, for metrics and tests. */
export interface ClientRegistryStats {
  readonly clients: number;
  readonly framesSent: number;
  readonly framesSkipped: number;
  readonly bytesSent: number;
  readonly closedTooSlow: number;
  /** The most unsent bytes any client's socket held at a frame round (backpressure's bound). */
  readonly maxBufferedBytes: number;
}

/** A signed-in client, as `add` returns it. */
export interface Client {
  readonly socket: PictureSocket;
  readonly model: PictureModel;
  readonly member: string;
  readonly view: ClientView;
}

/**
 * The signed-in WebSocket clients and their frames (issue 15). Backpressure, written down:
 * - Track frames: a timer (`framesPerSecond`) visits every client; a client whose socket buffer
 *   is over `skipAboveBufferedBytes` is skipped (counted), the others get the difference since
 *   their last frame. Nothing queues in the server: a frame is computed only when it is sent.
 * - Alerts: sent at once to every client of the member (they are few, and a watch officer must
 *   not miss one); a client so far behind that its buffer passes `closeAboveBufferedBytes` is
 *   closed, and its page reconnects and gets the whole picture again.
 */
export class ClientRegistry {
  private readonly clients = new Set<Client>();
  private readonly skipAboveBufferedBytes: number;
  private readonly closeAboveBufferedBytes: number;
  private readonly maxTracksPerFrame: number | undefined;
  private readonly timer: NodeJS.Timeout;
  private framesSent = 0;
  private framesSkipped = 0;
  private bytesSent = 0;
  private closedTooSlow = 0;
  private maxBufferedBytes = 0;

  constructor(options: ClientRegistryOptions = {}) {
    const framesPerSecond = options.framesPerSecond ?? 4;
    if (!(framesPerSecond > 0 && framesPerSecond <= 60)) {
      throw new RangeError(`framesPerSecond: ${framesPerSecond} is not in (0, 60].`);
    }
    this.skipAboveBufferedBytes = options.skipAboveBufferedBytes ?? 1024 * 1024;
    this.closeAboveBufferedBytes = options.closeAboveBufferedBytes ?? 16 * 1024 * 1024;
    this.maxTracksPerFrame = options.maxTracksPerFrame;
    this.timer = setInterval(() => this.sendFrames(), 1000 / framesPerSecond);
    this.timer.unref();
  }

  /** Registers a signed-in client; it sees the whole world until it sets a viewport. */
  add(socket: PictureSocket, member: string, model: PictureModel): Client {
    const client: Client = { socket, model, member, view: new ClientView(this.maxTracksPerFrame) };
    this.clients.add(client);
    return client;
  }

  setViewport(client: Client, viewport: Viewport): void {
    client.view.setViewport(viewport);
  }

  remove(client: Client): void {
    this.clients.delete(client);
  }

  /** Sends the alert revision to every client of the member, at once. */
  pushAlert(member: string, alert: PictureAlert): void {
    const text = JSON.stringify({ type: 'alert', alert });
    for (const client of this.clients) {
      if (client.member !== member) continue;
      if (client.socket.bufferedAmount > this.closeAboveBufferedBytes) {
        this.closeTooSlow(client);
        continue;
      }
      client.socket.send(text);
      this.bytesSent += text.length;
    }
  }

  stats(): ClientRegistryStats {
    return {
      clients: this.clients.size,
      framesSent: this.framesSent,
      framesSkipped: this.framesSkipped,
      bytesSent: this.bytesSent,
      closedTooSlow: this.closedTooSlow,
      maxBufferedBytes: this.maxBufferedBytes,
    };
  }

  close(): void {
    clearInterval(this.timer);
    for (const client of this.clients) client.socket.close(1001, 'server stopping');
    this.clients.clear();
  }

  /** One round of frames (the timer's; public for tests and benchmarks that pace themselves). */
  sendFrames(): void {
    for (const client of this.clients) {
      const buffered = client.socket.bufferedAmount;
      if (buffered > this.maxBufferedBytes) this.maxBufferedBytes = buffered;
      if (buffered > this.skipAboveBufferedBytes) {
        this.framesSkipped++;
        continue;
      }
      const frame = client.view.nextFrame(client.model);
      if (frame === undefined) continue;
      const bytes = encodeTrackFrame(frame);
      client.socket.send(bytes);
      this.framesSent++;
      this.bytesSent += bytes.byteLength;
    }
  }

  private closeTooSlow(client: Client): void {
    this.closedTooSlow++;
    this.clients.delete(client);
    client.socket.close(1013, 'too slow: reconnect');
  }
}
