import { Command } from 'commander';
import { createLogger } from '../util/logger.js';
import { loadWorkerConfig } from '../worker/worker-config.js';
import { startWorkerService } from '../worker/worker-service.js';

/** `tidewatch run`: the streaming worker (DESIGN.md §2.1, issue 4). */
export function runCommand(): Command {
  return new Command('run')
    .description(
      "The streaming worker: members' raw AIS topics (Kafka) → fusion and detection → " +
        'tracks.fused, alerts and ais.rejected (protobuf) on Kafka and the history in Postgres.',
    )
    .option('--config <file>', 'worker configuration, YAML or JSON (env TIDEWATCH_CONFIG)')
    .option(
      '--coalition <file>',
      "coalition policy (docs/coalition.md), over the configuration's `coalition`: one picture per member, on tracks.fused.<member> and alerts.<member>",
    )
    .addHelpText(
      'after',
      `
Environment (wins over the file):
  KAFKA_BROKERS       host:port[,host:port...] of the Kafka cluster (required, here or in the file)
  DATABASE_URL        postgres://... for the history (default postgresql://postgres@127.0.0.1:5432/tidewatch)
  TIDEWATCH_CONFIG    the configuration file, when --config is not given
  TIDEWATCH_LOG_LEVEL trace|debug|info|warn|error|fatal|silent (default info); logs are JSON lines on stderr

With no configuration the worker joins consumer group "tidewatch", reads every topic matching
^ais\\.raw\\. (the member id is the rest of the name), writes tracks.fused (keyed by MMSI, at
most one per vessel per 10 s of event time), alerts (keyed by alert id) and ais.rejected (dead
letters), migrates the database and serves http://0.0.0.0:9464/metrics, /livez, /readyz.
See config/worker.example.yaml for every setting.

With a coalition (--coalition or \`coalition:\`), each member gets its own picture (DESIGN.md 6) on
tracks.fused.<member> and alerts.<member>, every message with the policy version; a raw topic of
a member the file does not know is dead-lettered line by line (unknown_member). An invalid file
stops the start with every problem named, before anything is consumed.

Delivery is at least once: offsets are stored after the reports of a batch are in Postgres and
the outputs are acknowledged by Kafka. SIGTERM or Ctrl-C stops fetching, flushes, commits and
exits; a second signal exits at once.

Example:
  KAFKA_BROKERS=localhost:9092 DATABASE_URL=postgres://postgres@localhost/tidewatch tidewatch run`,
    )
    .action(async (options: { config?: string; coalition?: string }) => {
      process.exitCode = await runWorker(options.config, options.coalition);
    });
}

async function runWorker(
  configPath: string | undefined,
  coalitionPath: string | undefined,
): Promise<number> {
  const loaded = loadWorkerConfig(configPath);
  const config = coalitionPath === undefined ? loaded : { ...loaded, coalition: coalitionPath };
  const log = createLogger({ name: 'tidewatch' });
  const service = await startWorkerService(config, log);
  log.info(
    {
      brokers: config.kafka.brokers,
      group: config.kafka.groupId,
      metrics: `${service.health.url}/metrics`,
    },
    'worker running',
  );
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting without a clean shutdown');
      process.exit(130);
    }
    log.info({ signal }, 'stopping: flush, commit, close');
    void service.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await service.done;
    await service.stop();
    return 0;
  } catch (error) {
    log.error({ err: (error as Error).message }, 'worker failed');
    await service.stop().catch(() => {});
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
