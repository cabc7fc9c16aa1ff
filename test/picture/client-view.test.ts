import { describe, expect, it, vi } from 'vitest';
import { ClientView } from '../../src/picture/client-view.js';
import { PictureModel } from '../../src/picture/picture-model.js';
import { track } from './picture-fixtures.js';

const NORTH_SEA = { west: 0, south: 50, east: 10, north: 60 };

describe('ClientView', () => {
  it('sends what is in its viewport once, then only what changed', () => {
    const model = new PictureModel();
    model.applyTrack(track({ mmsi: 1, lat: 55, lon: 5, lastSeen: 1 }));
    model.applyTrack(track({ mmsi: 2, lat: 55, lon: 6, lastSeen: 1 }));
    model.applyTrack(track({ mmsi: 3, lat: 10, lon: 5, lastSeen: 1 }));
    const view = new ClientView();
    view.setViewport(NORTH_SEA);
    const first = view.nextFrame(model);
    expect(first?.updates.map((t) => t.mmsi).sort()).toEqual([1, 2]);
    expect(view.nextFrame(model)).toBeUndefined();
    model.applyTrack(track({ mmsi: 2, lat: 55.1, lon: 6, lastSeen: 2 }));
    model.applyTrack(track({ mmsi: 3, lat: 10.1, lon: 5, lastSeen: 2 }));
    const second = view.nextFrame(model);
    expect(second?.updates.map((t) => t.mmsi)).toEqual([2]);
    expect(second?.removed).toEqual([]);
  });

  it('removes a vessel that sails out of the viewport, and all on a new viewport', () => {
    const model = new PictureModel();
    model.applyTrack(track({ mmsi: 1, lat: 55, lon: 5, lastSeen: 1 }));
    model.applyTrack(track({ mmsi: 2, lat: 55, lon: 6, lastSeen: 1 }));
    const view = new ClientView();
    view.setViewport(NORTH_SEA);
    view.nextFrame(model);
    model.applyTrack(track({ mmsi: 1, lat: 40, lon: 5, lastSeen: 2 }));
    expect(view.nextFrame(model)).toMatchObject({ updates: [], removed: [1] });
    view.setViewport({ west: 0, south: 30, east: 10, north: 45 });
    expect(view.nextFrame(model)).toMatchObject({ removed: [2], updates: [{ mmsi: 1, lat: 40 }] });
    expect(view.heldCount).toBe(1);
  });

  it('sends the removal of a vessel the model forgot (not heard for its forget time)', () => {
    const model = new PictureModel({ forgetAfterMs: 3_600_000 });
    const t0 = Date.UTC(2026, 0, 1);
    model.applyTrack(track({ mmsi: 1, lat: 55, lon: 5, lastSeen: t0 }));
    model.applyTrack(track({ mmsi: 2, lat: 55, lon: 6, lastSeen: t0 }));
    const view = new ClientView();
    view.setViewport(NORTH_SEA);
    expect(view.nextFrame(model)?.updates).toHaveLength(2);
    // Only vessel 2 is heard again, an hour and a minute later: 1 leaves the picture.
    model.applyTrack(track({ mmsi: 2, lat: 55, lon: 6.1, lastSeen: t0 + 3_660_000 }));
    expect(view.nextFrame(model)).toMatchObject({ removed: [1], updates: [{ mmsi: 2 }] });
    expect(view.heldCount).toBe(1);
  });

  it('skipped frames lose nothing: the next frame holds every vessel changed meanwhile', () => {
    const model = new PictureModel();
    const view = new ClientView();
    for (let round = 1; round <= 5; round++) {
      for (let mmsi = 1; mmsi <= 10; mmsi++) {
        model.applyTrack(track({ mmsi, lat: 50 + round / 10, lon: mmsi, lastSeen: round }));
      }
    }
    const frame = view.nextFrame(model);
    expect(frame?.updates).toHaveLength(10);
    expect(frame?.updates.every((t) => t.lastSeen === 5)).toBe(true);
  });

  it('frames from the change log keep a client equal to its viewport, whatever moves or goes', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const t0 = Date.UTC(2026, 0, 1);
    const model = new PictureModel({ forgetAfterMs: 3_600_000 });
    const view = new ClientView(50);
    view.setViewport(NORTH_SEA);
    const client = new Set<number>();
    const follow = () => {
      for (let frame = view.nextFrame(model); frame; frame = view.nextFrame(model)) {
        for (const t of frame.updates) client.add(t.mmsi);
        for (const mmsi of frame.removed) client.delete(mmsi);
      }
    };
    const passes = vi.spyOn(model, 'inViewport');
    let wholePasses = 0;
    for (let step = 0; step < 300; step++) {
      // A few vessels move (in, out or within the North Sea box), some lose their position.
      for (let k = 0; k < 5; k++) {
        const mmsi = 1 + Math.floor(random() * 60);
        const positioned = random() > 0.1;
        model.applyTrack(
          track({
            mmsi,
            lat: positioned ? 45 + random() * 20 : undefined,
            lon: positioned ? -5 + random() * 20 : undefined,
            lastSeen: t0 + step * 60_000,
          }),
        );
      }
      const before = passes.mock.calls.length;
      follow();
      wholePasses += passes.mock.calls.length - before;
      const inView = new Set(model.inViewport(NORTH_SEA).map((v) => v.track.mmsi));
      expect([...client].sort()).toEqual([...inView].sort());
    }
    // One pass over the viewport for the first frame; every later frame came from the log.
    expect(wholePasses).toBe(1);
    // 300 steps of an hour's forget time: vessels not heard for an hour were dropped meanwhile.
    expect(model.forgotten).toBeGreaterThan(0);
  });

  it('splits a large first picture over frames of at most maxTracksPerFrame', () => {
    const model = new PictureModel();
    for (let mmsi = 1; mmsi <= 25; mmsi++) {
      model.applyTrack(track({ mmsi, lat: 1, lon: mmsi / 10, lastSeen: 1 }));
    }
    const view = new ClientView(10);
    const frames = [view.nextFrame(model), view.nextFrame(model), view.nextFrame(model)];
    expect(frames.map((f) => f?.updates.length)).toEqual([10, 10, 5]);
    // Only the last one completes the client's picture (the page fits its map to it).
    expect(frames.map((f) => f?.complete)).toEqual([false, false, true]);
    expect(view.nextFrame(model)).toBeUndefined();
    expect(() => new ClientView(0)).toThrow(/maxTracksPerFrame: 0/);
  });
});
