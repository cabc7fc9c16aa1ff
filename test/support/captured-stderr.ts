import { afterEach, beforeEach, vi } from 'vitest';

/**
 * What the commands of a `describe` write to stderr, test by test: the array is emptied before
 * each test and the spy removed after it (every mock of the file is restored).
 */
export function capturedStderr(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return lines;
}
