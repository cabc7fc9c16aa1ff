import { createServer } from 'node:net';

/**
 * A TCP port the kernel just found free on 127.0.0.1, by binding port 0 and closing again.
 * Another program may take it before the caller binds it: use it at once.
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port from the probe socket'));
      });
    });
  });
}
