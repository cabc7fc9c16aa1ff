/**
 * Hosts a mock Kafka cluster in a process of its own: `node dist/embedded/mock-cluster-main.js
 * [BROKERS]`. Prints one JSON line, `{"bootstrapServers":"127.0.0.1:PORT"}`, on stdout once the
 * brokers listen, then serves until SIGTERM or SIGINT, or until its stdin closes (so a parent that
 * dies does not leave it running). `MockClusterProcess` starts and stops it.
 */
import { MockCluster } from './mock-cluster.js';

const brokers = Number(process.argv[2] ?? '1');
const cluster = await MockCluster.start({ brokers });
process.stdout.write(`${JSON.stringify({ bootstrapServers: cluster.bootstrapServers })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  cluster.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.once('end', stop);
process.stdin.once('error', stop);
process.stdin.resume();
