/**
 * A stored position as the picture's history API returns it (src/io/postgres/picture-history.ts
 * reads it, the page draws it): shared here because the page may import src/picture/ only.
 */
export interface HistoryPosition {
  readonly mmsi: number;
  /** Epoch ms. */
  readonly time: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number | null;
  readonly cog: number | null;
}
