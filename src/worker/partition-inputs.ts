/** Turns one partition's Kafka messages into the core's input. */
export interface PartitionInput {
  /**
   * Takes one Kafka message (a null value: a tombstone); returns the number of AIS messages it
   * gave the core.
   */
  decode(
    value: Uint8Array | null | undefined,
    offset: number,
    timestampMs: number | undefined,
  ): number;
  /** The newest event time given to the core since the previous call (-Infinity if none). */
  takeNewestTime(): number;
}

/**
 * What the worker reads and how: members' raw NMEA topics (`RawFeedInputs`, one worker) or, in
 * the fusion stage of a scaled deployment, the internal topic of decoded reports
 * (`ReportTopicInputs`, docs/scale-out.md).
 */
export interface PartitionInputs {
  /** The member a topic carries, undefined when it names none (logged at assignment). */
  find(topic: string): string | undefined;
  /** A topic's label for metrics, logs and checkpoints. */
  labelOf(topic: string): string;
  /** The input of a partition (made at its first batch, kept until `forget`). */
  inputFor(topic: string, partition: number, label: string, nowWallMs: number): PartitionInput;
  /** The partition left this worker. */
  forget(topic: string, partition: number): void;
  /** Whether a topic's lines are counted per member (`tidewatch_messages_in_total`) here. */
  readonly countsMessages: boolean;
}
