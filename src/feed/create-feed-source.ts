import type { FeedSource, FeedSourceSpec } from './feed-source.js';
import { FileSource } from './file-source.js';
import { TcpSource } from './tcp-source.js';
import { UdpSource } from './udp-source.js';

/** The source of a spec; nothing is opened before `run`. */
export function createFeedSource(spec: FeedSourceSpec): FeedSource {
  switch (spec.kind) {
    case 'tcp':
      return new TcpSource({ host: spec.host, port: spec.port });
    case 'udp':
      return new UdpSource({ port: spec.port, host: spec.host });
    case 'file':
      return new FileSource(spec.path);
  }
}
