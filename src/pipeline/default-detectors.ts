import { darkGapDetector } from '../detect/dark-gap.js';
import type { DetectorFactory } from '../detect/detector.js';
import { identityConflictDetector } from '../detect/identity-conflict.js';
import { invalidIdentityDetector } from '../detect/invalid-identity.js';
import { loiteringDetector } from '../detect/loitering.js';
import { positionJumpDetector } from '../detect/position-jump.js';
import { rendezvousDetector } from '../detect/rendezvous.js';
import { zoneCrossingDetector } from '../detect/zone-crossing.js';
import type { CoreConfig } from './core-config.js';

/** Every detector of DESIGN.md §3, with the thresholds of `config`. */
export function defaultDetectors(config: CoreConfig): DetectorFactory[] {
  return [
    zoneCrossingDetector(config),
    positionJumpDetector(config),
    identityConflictDetector(config),
    invalidIdentityDetector(config),
    darkGapDetector(config),
    rendezvousDetector(config),
    loiteringDetector(config),
  ];
}
