import type { MessageHandler } from '../ais/feed-decoder.js';
import { partitionKey } from '../io/kafka/partition-key.js';
import type { PartitionInput, PartitionInputs } from '../worker/partition-inputs.js';
import type { ForwardedWatermarks } from './forwarded-watermarks.js';
import { RecordError, ReportRecordReader } from './report-record.js';

/** The label of the internal topic's input (metrics, logs): members are per record here. */
const REPORTS_LABEL = 'reports';
const NO_BYTES = new Uint8Array(0);

/** One internal partition's records: reports into the core, watermarks into the merge. */
class ReportPartitionInput implements PartitionInput {
  private newest = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly reader: ReportRecordReader,
    private readonly ingest: MessageHandler,
    private readonly watermarks: ForwardedWatermarks,
    private readonly onBadRecord: (error: RecordError, offset: number) => void,
  ) {}

  decode(value: Uint8Array | null | undefined, offset: number): number {
    let record: ReturnType<ReportRecordReader['read']>;
    try {
      record = this.reader.read(value ?? NO_BYTES);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      this.onBadRecord(error, offset);
      return 0;
    }
    if (record.kind === 'watermark') {
      this.watermarks.note(this.topic, this.partition, record.mark);
      return 0;
    }
    const m = record.message;
    const time = m.receivedAt!;
    if (time > this.newest) this.newest = time;
    this.ingest(m, record.member, m.station);
    return 1;
  }

  takeNewestTime(): number {
    const newest = this.newest;
    this.newest = Number.NEGATIVE_INFINITY;
    return newest;
  }
}

/**
 * The fusion stage's input (docs/scale-out.md): the internal topic of decoded reports, keyed by
 * MMSI. Its records are self-contained (no message spans two), so an input keeps nothing worth a
 * checkpoint. A record this version cannot read is logged and counted by `onBadRecord`, never a
 * stop (DESIGN.md §4): it was written by another Tidewatch, not by a member.
 */
export class ReportTopicInputs implements PartitionInputs {
  readonly countsMessages = false;
  private readonly inputs = new Map<string, ReportPartitionInput>();
  private readonly reader = new ReportRecordReader();

  constructor(
    private readonly reportsTopic: string,
    private readonly ingest: MessageHandler,
    private readonly watermarks: ForwardedWatermarks,
    private readonly onBadRecord: (
      error: RecordError,
      topic: string,
      partition: number,
      offset: number,
    ) => void,
  ) {}

  find(topic: string): string | undefined {
    return topic === this.reportsTopic ? REPORTS_LABEL : undefined;
  }

  labelOf(): string {
    return REPORTS_LABEL;
  }

  inputFor(topic: string, partition: number): PartitionInput {
    const key = partitionKey(topic, partition);
    let input = this.inputs.get(key);
    if (input === undefined) {
      input = new ReportPartitionInput(
        topic,
        partition,
        this.reader,
        this.ingest,
        this.watermarks,
        (error, offset) => this.onBadRecord(error, topic, partition, offset),
      );
      this.inputs.set(key, input);
    }
    return input;
  }

  forget(topic: string, partition: number): void {
    this.inputs.delete(partitionKey(topic, partition));
  }
}
