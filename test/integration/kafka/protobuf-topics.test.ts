import { describe, expect, it } from 'vitest';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import type { BatchConsumer } from '../../../src/io/kafka/batch-consumer.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { alertMessage, decodeAlert, encodeAlert } from '../../../src/io/protobuf/alert-codec.js';
import {
  decodeFusedTrack,
  encodeFusedTrack,
  fusedTrackMessage,
} from '../../../src/io/protobuf/fused-track-codec.js';
import { closedZoneAlert, sampleAlert, sampleTrack } from '../../io/protobuf/codec-fixtures.js';
import {
  RUN,
  readUntil,
  subscribedConsumer,
  TEST_SESSION_TIMEOUT_MS,
} from './kafka-test-support.js';

describe.skipIf(!RUN)('protobuf values through real topics', () => {
  it('publishes alerts (revisions under one key) and fused tracks, and decodes them back', async () => {
    const cluster = await MockCluster.start();
    let producer: BatchProducer | undefined;
    let consumer: BatchConsumer | undefined;
    try {
      const open = sampleAlert();
      const revised = { ...sampleAlert(), end: open.start + 3 * 3600_000, revision: 3 };
      const zone = closedZoneAlert();
      const { track, members } = sampleTrack();
      const tracks = [
        fusedTrackMessage(track, members.idsOf(track.sourceSet), ['eez-no']),
        { ...fusedTrackMessage(track, ['coastguard'], []), mmsi: 257_000_124 },
      ];

      producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
      for (const alert of [open, zone, revised]) {
        producer.produce('alerts', encodeAlert(alertMessage(alert)), alert.id);
      }
      for (const message of tracks) {
        producer.produce('tracks.fused', encodeFusedTrack(message), String(message.mmsi));
      }
      await producer.flush();

      consumer = await subscribedConsumer({
        bootstrapServers: cluster.bootstrapServers,
        groupId: 'protobuf-reader',
        topics: ['alerts', 'tracks.fused'],
        sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
      });
      const alerts: { key: string; value: ReturnType<typeof decodeAlert> }[] = [];
      const fused: { key: string; value: ReturnType<typeof decodeFusedTrack> }[] = [];
      await readUntil(consumer, {
        until: () => alerts.length === 3 && fused.length === 2,
        timeoutMs: 60_000,
        onBatch: (batch) => {
          for (const part of batch.partitions) {
            for (const message of part.messages) {
              const key = message.key!.toString();
              if (part.topic === 'alerts') alerts.push({ key, value: decodeAlert(message.value!) });
              else fused.push({ key, value: decodeFusedTrack(message.value!) });
            }
          }
        },
      });

      // Revisions share the key, hence the partition: they arrive in the order published.
      const ofOpen = alerts.filter(({ key }) => key === open.id).map(({ value }) => value);
      expect(ofOpen).toEqual([alertMessage(open), alertMessage(revised)]);
      expect(alerts.find(({ key }) => key === zone.id)?.value).toEqual(alertMessage(zone));
      for (const { key, value } of alerts) expect(value.id).toBe(key);

      expect(fused.map(({ key }) => key).sort()).toEqual(['257000123', '257000124']);
      for (const { key, value } of fused) {
        expect(value).toEqual(tracks.find((message) => String(message.mmsi) === key));
      }
    } finally {
      await consumer?.close();
      await producer?.close();
      await cluster.close();
    }
  });
});
