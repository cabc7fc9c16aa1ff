import { afterEach, describe, expect, it } from 'vitest';
import { PictureModel } from '../../src/picture/picture-model.js';
import { decodeTrackFrame } from '../../src/picture/track-frame.js';
import { ClientRegistry } from '../../src/serve/client-registry.js';
import type { PictureSocket } from '../../src/serve/picture-socket.js';
import { alert, track } from '../picture/picture-fixtures.js';

/** A socket that records what it was sent; `bufferedAmount` is set by the test (a slow reader). */
class RecordingSocket implements PictureSocket {
  bufferedAmount = 0;
  readonly sent: (string | Uint8Array)[] = [];
  closed: { code?: number; reason?: string } | undefined;
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
  frames() {
    return this.sent.filter((d) => typeof d !== 'string').map((d) => decodeTrackFrame(d));
  }
}

let registry: ClientRegistry | undefined;
afterEach(() => registry?.close());

describe('ClientRegistry', () => {
  it('skips a client whose socket is backed up, then sends it the latest state in one frame', () => {
    registry = new ClientRegistry({ framesPerSecond: 1, skipAboveBufferedBytes: 1000 });
    const model = new PictureModel();
    const socket = new RecordingSocket();
    registry.add(socket, 'ca', model);
    socket.bufferedAmount = 5000;
    for (let round = 1; round <= 3; round++) {
      model.applyTrack(track({ mmsi: 1, lat: 50 + round, lon: 3, lastSeen: round }));
      registry.sendFrames();
    }
    expect(socket.sent).toEqual([]);
    expect(registry.stats().framesSkipped).toBe(3);
    socket.bufferedAmount = 0;
    registry.sendFrames();
    const frames = socket.frames();
    expect(frames).toHaveLength(1);
    expect(frames[0]!.vessels.map((v) => [v.mmsi, v.lat])).toEqual([[1, 53]]);
  });

  it("sends each member's alerts to its own clients only, at once", () => {
    registry = new ClientRegistry({ framesPerSecond: 1 });
    const ca = new RecordingSocket();
    const no = new RecordingSocket();
    registry.add(ca, 'ca', new PictureModel());
    registry.add(no, 'no', new PictureModel());
    registry.pushAlert('ca', alert({ id: 'a1', revision: 2 }));
    expect(ca.sent).toHaveLength(1);
    expect(JSON.parse(ca.sent[0] as string)).toMatchObject({
      type: 'alert',
      alert: { id: 'a1', revision: 2 },
    });
    expect(no.sent).toEqual([]);
  });

  it('closes a client too far behind to take an alert (its page reconnects)', () => {
    registry = new ClientRegistry({ framesPerSecond: 1, closeAboveBufferedBytes: 10_000 });
    const socket = new RecordingSocket();
    registry.add(socket, 'ca', new PictureModel());
    socket.bufferedAmount = 20_000;
    registry.pushAlert('ca', alert({ id: 'a1' }));
    expect(socket.closed).toEqual({ code: 1013, reason: 'too slow: reconnect' });
    expect(registry.stats()).toMatchObject({ clients: 0, closedTooSlow: 1 });
  });

  it('names a bad frame rate', () => {
    expect(() => new ClientRegistry({ framesPerSecond: 0 })).toThrow(/framesPerSecond: 0/);
  });
});
