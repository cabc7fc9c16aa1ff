/**
 * An alert revision as the picture keeps it (DESIGN.md §2.4): the fields of
 * `tidewatch.v1.Alert` the map and its panels use. Any decoded `alerts` message has them, so the
 * picture needs no codec: the Kafka reader hands its `AlertMessage` over as it is.
 */
export interface PictureAlert {
  readonly id: string;
  readonly kind: string;
  readonly mmsi: number;
  readonly otherMmsi?: number | undefined;
  readonly zoneId?: string | undefined;
  /** Epoch ms. */
  readonly start: number;
  /** Epoch ms; undefined while the alert is open. */
  readonly end?: number | undefined;
  readonly lat: number;
  readonly lon: number;
  readonly sources: readonly string[];
  readonly revision: number;
  readonly detail: Readonly<Record<string, string>>;
}
