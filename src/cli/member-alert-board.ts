import { ALERT_KINDS } from '../detect/alert.js';
import { BatchConsumer } from '../io/kafka/batch-consumer.js';
import { decodeAlert } from '../io/protobuf/alert-codec.js';

export interface MemberAlertBoardOptions {
  readonly bootstrapServers: string;
  /** Member id → its alerts topic (`alerts.<member>`), in column order. */
  readonly topics: ReadonlyMap<string, string>;
  /** Consumer groups are `<groupPrefix><member>`. */
  readonly groupPrefix: string;
}

/** One member's reader: its consumer and the ids of the alerts seen, by kind. */
interface MemberReader {
  readonly member: string;
  readonly consumer: BatchConsumer;
  readonly idsByKind: Map<string, Set<string>>;
  readonly running: Promise<void>;
}

/**
 * What each member's operations centre sees (the demo, issue 13): one consumer per member alerts
 * topic, counting distinct alerts (a revision reuses its id) by kind, printed side by side —
 * kinds as rows, members as columns — so the difference a coalition policy makes shows at once.
 */
export class MemberAlertBoard {
  private stopped = false;

  private constructor(private readonly readers: readonly MemberReader[]) {}

  /** Connects and subscribes a consumer per member topic, and starts reading. */
  static async start(options: MemberAlertBoardOptions): Promise<MemberAlertBoard> {
    const readers: MemberReader[] = [];
    const board = new MemberAlertBoard(readers);
    try {
      for (const [member, topic] of options.topics) {
        const consumer = await BatchConsumer.connect({
          bootstrapServers: options.bootstrapServers,
          groupId: `${options.groupPrefix}${member}`,
          clientId: `tidewatch-board-${member}`,
          startFrom: 'earliest',
          // The topic appears with the member's first alert: look for it every 2 s.
          config: { 'topic.metadata.refresh.interval.ms': 2000 },
        });
        // A pattern, not a name: the topic may not exist yet.
        consumer.subscribe([new RegExp(`^${topic.replaceAll('.', '\\.')}$`)]);
        const idsByKind = new Map<string, Set<string>>();
        readers.push({
          member,
          consumer,
          idsByKind,
          running: board.read(consumer, idsByKind),
        });
      }
    } catch (error) {
      await board.close();
      throw error;
    }
    return board;
  }

  /** The counts as a text table: a row per alert kind, a column per member, and a total row. */
  table(): string {
    const members = this.readers.map((reader) => reader.member);
    const kindWidth = Math.max(...ALERT_KINDS.map((kind) => kind.length), 'total'.length);
    const widths = members.map((member) => Math.max(member.length, 5));
    const row = (label: string, cells: readonly string[]) =>
      `  ${label.padEnd(kindWidth)}  ${cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ')}`;
    const lines = [row('alerts', members)];
    const totals = members.map(() => 0);
    for (const kind of ALERT_KINDS) {
      const counts = this.readers.map((reader) => reader.idsByKind.get(kind)?.size ?? 0);
      counts.forEach((n, i) => {
        totals[i]! += n;
      });
      lines.push(row(kind, counts.map(String)));
    }
    lines.push(row('total', totals.map(String)));
    return lines.join('\n');
  }

  /** Stops reading and closes every consumer. */
  async close(): Promise<void> {
    this.stopped = true;
    for (const reader of this.readers) {
      await reader.running.catch(() => {});
      await reader.consumer.close().catch(() => {});
    }
  }

  private async read(consumer: BatchConsumer, idsByKind: Map<string, Set<string>>): Promise<void> {
    while (!this.stopped) {
      const batch = await consumer.nextBatch();
      for (const part of batch.partitions) {
        for (const message of part.messages) {
          if (message.value === null || message.value === undefined) continue;
          let alert: ReturnType<typeof decodeAlert>;
          try {
            alert = decodeAlert(message.value);
          } catch {
            continue; // not an Alert of this schema version: not counted
          }
          let ids = idsByKind.get(alert.kind);
          if (ids === undefined) {
            ids = new Set();
            idsByKind.set(alert.kind, ids);
          }
          ids.add(alert.id);
        }
      }
      consumer.markDone(batch);
    }
  }
}
