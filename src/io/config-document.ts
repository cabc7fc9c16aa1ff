import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * Reads and parses a YAML or JSON configuration file (JSON is YAML); an unreadable or malformed
 * file names itself. What the document must hold is the caller's schema to check.
 */
export function readConfigDocument(path: string): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read configuration ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
