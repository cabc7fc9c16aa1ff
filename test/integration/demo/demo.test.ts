import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUN } from '../kafka/kafka-test-support.js';
import { count, createTestDatabase } from '../postgres/test-database.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `tidewatch demo` (what `npm start` runs) to the end; its exit code and stdout. */
function demo(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  more: readonly string[] = [],
): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'demo',
      '--speed',
      '3600',
      '--vessels',
      '20',
      '--metrics-port',
      '0',
      '--data-dir',
      dataDir,
      '--exit-when-done',
      ...more,
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    out += text;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe.skipIf(!RUN)('npm start (tidewatch demo): the whole pipeline on one machine', () => {
  it('plays simulated members through Kafka into the worker, alerts printed, history stored', async () => {
    const db = await createTestDatabase('demo');
    const dataDir = mkdtempSync(join(tmpdir(), 'tidewatch-demo-'));
    try {
      const { code, out } = await demo({ DATABASE_URL: db.url }, dataDir, ['--coalition', 'none']);
      expect(code).toBe(0);
      expect(out).toMatch(/Kafka {5}127\.0\.0\.1:\d+ \(librdkafka mock cluster\)/);
      expect(out).toMatch(/metrics {3}http:\/\/127\.0\.0\.1:\d+\/metrics/);
      // The operations picture (issue 15): one line without a coalition, member `all`.
      expect(out.match(/^ {2}picture \S+ http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/gm)).toEqual([
        expect.stringMatching(/^ {2}picture all /),
      ]);
      for (const kind of ['dark_gap', 'rendezvous', 'zone_entry', 'loitering']) {
        expect(out).toMatch(new RegExp(`ALERT \\S+ ${kind} MMSI \\d+`));
      }
      const stored = Number(
        /Done: [\d,]+ reports fused, ([\d,]+) positions stored/.exec(out)?.[1]?.replaceAll(',', ''),
      );
      expect(stored).toBeGreaterThan(10_000);
      expect(await count(db.pool, 'positions')).toBe(stored);
      expect(await count(db.pool, 'alerts')).toBeGreaterThan(5);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  });

  it('by default runs the demo coalition and prints each member’s alert counts side by side', async () => {
    const db = await createTestDatabase('demo_coalition');
    const dataDir = mkdtempSync(join(tmpdir(), 'tidewatch-demo-'));
    try {
      const { code, out } = await demo({ DATABASE_URL: db.url }, dataDir);
      expect(code).toBe(0);
      expect(out).toMatch(
        /coalition \S+coalition\.demo\.yaml \(policy [0-9a-f]{16}\): \d+ pictures for 4 members/,
      );
      expect(out).not.toMatch(/ALERT /);
      // The final table, read from each member's alerts topic: kinds as rows, members as columns.
      const table = out.slice(out.lastIndexOf('Alerts each member received'));
      expect(table).toMatch(/^ {2}alerts +au +ca +ca-kb +no$/m);
      const totals = /^ {2}total +(\d+) +(\d+) +(\d+) +(\d+)$/m.exec(table);
      expect(totals).not.toBeNull();
      const [au, ca, caKb, no] = totals!.slice(1).map(Number);
      // Canada sees most (everyone releases to it); the port authority least (its area only).
      expect(ca).toBeGreaterThan(5);
      expect(ca).toBeGreaterThan(Math.max(au!, no!, caKb!));
      expect(caKb).toBeLessThan(Math.min(au!, no!));
      expect(await count(db.pool, 'alerts')).toBeGreaterThan(5);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
