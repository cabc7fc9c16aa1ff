import { AisMessage } from '../../src/ais/ais-message.js';
import type { Alert } from '../../src/detect/alert.js';
import type { DetectorFactory } from '../../src/detect/detector.js';
import { type CoreConfig, DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { FusionCore } from '../../src/pipeline/fusion-core.js';
import type { ZoneIndex } from '../../src/zones/zone-index.js';

/** Start of every harness scenario: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface FixInput {
  mmsi: number;
  /** Event time, epoch ms. */
  time: number;
  lat: number;
  lon: number;
  sogKnots?: number;
  cogDegrees?: number;
  type?: number;
  member?: string;
  station?: string;
  navStatus?: number;
  /** Distinguishes otherwise identical messages (the payload hash); defaults to a counter. */
  payloadHash?: number;
}

/**
 * A FusionCore fed with hand-made messages, for detector unit tests: `fix(...)` ingests a
 * position report; `advanceTo(time)` moves the watermark; alerts are collected by revision and
 * as their latest state.
 */
export class CoreHarness {
  readonly core: FusionCore;
  /** Every emitted revision, in order (copies). */
  readonly revisions: Alert[] = [];
  /** Latest revision per alert id. */
  readonly latest = new Map<string, Alert>();
  private counter = 1;
  private readonly message = new AisMessage();

  constructor(
    detectors: readonly DetectorFactory[],
    options: { config?: Partial<CoreConfig>; zones?: ZoneIndex } = {},
  ) {
    const config = { ...DEFAULT_CORE_CONFIG, ...options.config };
    this.core = new FusionCore(
      config,
      options.zones,
      {
        alert: (alert) => {
          const copy = structuredClone(alert);
          this.revisions.push(copy);
          this.latest.set(alert.id, copy);
        },
      },
      detectors,
    );
  }

  /** Ingests one position report. */
  fix(input: FixInput): void {
    const m = this.message;
    m.clear();
    m.type = input.type ?? 1;
    m.mmsi = input.mmsi;
    m.lat = input.lat;
    m.lon = input.lon;
    m.sog = input.sogKnots;
    m.cog = input.cogDegrees;
    m.navStatus = input.navStatus;
    m.receivedAt = input.time;
    m.payloadHash = input.payloadHash ?? this.counter++;
    m.payloadCheck = m.payloadHash;
    this.core.ingest(m, input.member ?? 'alpha', input.station);
  }

  /** Ingests a static message (type 5 by default) with the given fields. */
  staticData(mmsi: number, time: number, fields: Partial<AisMessage>, member = 'alpha'): void {
    const m = this.message;
    m.clear();
    Object.assign(m, { type: 5, ...fields, mmsi, receivedAt: time });
    m.payloadHash = this.counter++;
    m.payloadCheck = m.payloadHash;
    this.core.ingest(m, member, undefined);
  }

  /** Moves the watermark so everything up to `time` is processed. */
  advanceTo(time: number): void {
    this.core.advance(time + this.core.config.dedupeWindowSeconds * 1000 + 1000);
  }

  finish(): void {
    this.core.finish();
  }

  /** Latest revision of every alert of `kind`. */
  alertsOf(kind: Alert['kind']): Alert[] {
    return [...this.latest.values()].filter((a) => a.kind === kind);
  }
}
