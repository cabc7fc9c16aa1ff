/**
 * Why a line was not decoded. One fixed list: it is the metric label, the dead-letter reason and
 * the key of the `decode` summary (DESIGN.md §4).
 */
export const REJECT_REASONS = [
  /** The NMEA `*hh` checksum does not match (a tag block's bad checksum is counted, not rejected). */
  'checksum',
  /** The line is not a well-formed AIVDM/AIVDO sentence (fields, counts, characters). */
  'syntax',
  /** A multi-sentence message that never completed, or a fragment out of order. */
  'fragment',
  /** The payload has too few or too many bits for its message type. */
  'payload_length',
  /** A valid AIS message of a type Tidewatch does not decode (6, 7, 8, 10, ...). */
  'unsupported_type',
  /** No receive time could be found where one is required (replay, worker). */
  'no_timestamp',
  /** A value outside its physical range where the message cannot be used without it. */
  'range',
  /** A valid NMEA sentence that is not AIS (`$GPRMC`, `$AIALR`, ...). */
  'non_ais',
  /**
   * The line came from a raw-feed topic whose name names no member (`ais.raw.` with nothing
   * after the prefix): no member's feed, so not fused (worker; issue 13: a topic anyone can
   * create must not stop the worker).
   */
  'no_member',
  /**
   * The line came from the raw topic of a member the coalition file does not know (worker with
   * `coalition`; DESIGN.md §6, issue 13): released to nobody, not even to itself. `replay
   * --coalition` names the same reason (pipeline/picture-set.ts).
   */
  'unknown_member',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];
