/** What the loop does about its input: pause every partition, resume them, or nothing. */
export type BackpressureChange = 'pause' | 'resume' | 'none';

/** How the sinks stand. */
export interface SinkLoad {
  /** The history sink holds `postgres.highWaterMarkRows` unwritten rows (Postgres slow or down). */
  readonly historyFull: boolean;
  /** The producer's local queue has room (it is full while the broker does not take messages). */
  readonly producerWritable: boolean;
}

/** The sinks are behind: the input must wait for them. */
export function overloaded(load: SinkLoad): boolean {
  return load.historyFull || !load.producerWritable;
}

/**
 * Backpressure (issue 4): every partition is paused while the sinks are behind and resumed once
 * they drained; nothing changes while the input already is where it should be.
 */
export function backpressureChange(isOverloaded: boolean, paused: boolean): BackpressureChange {
  if (isOverloaded && !paused) return 'pause';
  if (!isOverloaded && paused) return 'resume';
  return 'none';
}
