import type { VesselStore } from './vessel-store.js';

/**
 * How the vessels are drawn: `arrows` (vessel-arrow-layer.ts, the page's choice), or deck.gl's
 * instanced `icons` (IconLayer) or `dots` (ScatterplotLayer), kept to measure them against
 * (bench:picture-page --drawing).
 */
export type VesselDrawing = 'arrows' | 'icons' | 'dots';

/** A deck.gl layer's `data` in binary form: a count and attributes keyed by accessor name. */
export interface BinaryData {
  readonly length: number;
  readonly attributes: Record<string, object>;
}

/**
 * The store's arrays as deck.gl binary attributes. deck.gl uploads an attribute when its wrapper
 * (`{value, size}`) is a new object and skips it when it is the same one, so a wrapper is made
 * anew only when its array's version moved: a frame that moved vessels uploads positions, angles
 * and colours once, a pan (no frame) uploads nothing. The `data` object itself is new whenever
 * anything changed, which is what makes deck.gl look at the wrappers at all.
 *
 * Arrows take three vertices per vessel: their arrays are the store's, each value three times,
 * expanded here (only the arrays that changed) into buffers kept between frames.
 */
export class VesselAttributes {
  private readonly cache = new Map<string, { version: string; wrapper: object }>();
  private data: BinaryData | undefined;
  private dataKey = '';
  private positions3 = new Float64Array(0);
  private angles3 = new Float32Array(0);
  private colors3 = new Uint8Array(0);
  private corners = new Float32Array(0);

  layerData(store: VesselStore, drawing: VesselDrawing): BinaryData {
    const v = store.versions;
    const n = store.count;
    const key = `${drawing} ${v.count} ${v.positions} ${v.angles} ${v.colors} ${n}`;
    if (this.data !== undefined && key === this.dataKey) return this.data;
    this.data = {
      length: n,
      attributes:
        drawing === 'arrows'
          ? this.arrowAttributes(store)
          : drawing === 'icons'
            ? {
                getPosition: this.position(store),
                getColor: this.color(store),
                getAngle: this.wrap('angle', `${v.angles} ${n}`, () => ({
                  value: store.angles.subarray(0, n),
                  size: 1,
                })),
              }
            : { getPosition: this.position(store), getFillColor: this.color(store) },
    };
    this.dataKey = key;
    return this.data;
  }

  private position(store: VesselStore): object {
    return this.wrap('position', `${store.versions.positions} ${store.count}`, () => ({
      value: store.positions.subarray(0, 2 * store.count),
      size: 2,
    }));
  }

  private color(store: VesselStore): object {
    return this.wrap('color', `${store.versions.colors} ${store.count}`, () => ({
      value: store.colors.subarray(0, 4 * store.count),
      size: 4,
      type: 'unorm8',
    }));
  }

  private arrowAttributes(store: VesselStore): Record<string, object> {
    const n = store.count;
    const v = store.versions;
    if (this.corners.length < 3 * n) {
      const capacity = Math.max(3 * n, 2 * this.corners.length);
      this.corners = new Float32Array(capacity);
      for (let i = 0; i < capacity; i++) this.corners[i] = i % 3;
      this.positions3 = new Float64Array(2 * capacity);
      this.angles3 = new Float32Array(capacity);
      this.colors3 = new Uint8Array(4 * capacity);
      this.cache.clear();
    }
    return {
      getPosition: this.wrap('arrow-position', `${v.positions} ${n}`, () => {
        const from = store.positions;
        const to = this.positions3;
        for (let i = 0; i < n; i++) {
          const lon = from[2 * i]!;
          const lat = from[2 * i + 1]!;
          for (let k = 6 * i; k < 6 * i + 6; k += 2) {
            to[k] = lon;
            to[k + 1] = lat;
          }
        }
        return { value: to.subarray(0, 6 * n), size: 2 };
      }),
      getAngle: this.wrap('arrow-angle', `${v.angles} ${n}`, () => {
        const from = store.angles;
        const to = this.angles3;
        for (let i = 0; i < n; i++) to[3 * i] = to[3 * i + 1] = to[3 * i + 2] = from[i]!;
        return { value: to.subarray(0, 3 * n), size: 1 };
      }),
      getColor: this.wrap('arrow-color', `${v.colors} ${n}`, () => {
        const from = new Uint32Array(store.colors.buffer, 0, n);
        const to = new Uint32Array(this.colors3.buffer, 0, 3 * n);
        for (let i = 0; i < n; i++) to[3 * i] = to[3 * i + 1] = to[3 * i + 2] = from[i]!;
        return { value: this.colors3.subarray(0, 12 * n), size: 4, type: 'unorm8' };
      }),
      getCorner: this.wrap('arrow-corner', `${this.corners.length} ${n}`, () => ({
        value: this.corners.subarray(0, 3 * n),
        size: 1,
      })),
    };
  }

  /** `version` names the array's version and the count its view covers. */
  private wrap(name: string, version: string, make: () => object): object {
    const held = this.cache.get(name);
    if (held !== undefined && held.version === version) return held.wrapper;
    const wrapper = make();
    this.cache.set(name, { version, wrapper });
    return wrapper;
  }
}
