import { type DarkGapConfig, DEFAULT_DARK_GAP_CONFIG } from '../detect/dark-gap.js';
import {
  DEFAULT_IDENTITY_CONFLICT_CONFIG,
  type IdentityConflictConfig,
} from '../detect/identity-conflict.js';
import {
  DEFAULT_INVALID_IDENTITY_CONFIG,
  type InvalidIdentityConfig,
} from '../detect/invalid-identity.js';
import { DEFAULT_JUMP_THRESHOLDS, type JumpThresholds } from '../detect/kinematics.js';
import { DEFAULT_LOITERING_CONFIG, type LoiteringConfig } from '../detect/loitering.js';
import { DEFAULT_RENDEZVOUS_CONFIG, type RendezvousConfig } from '../detect/rendezvous.js';

/**
 * Thresholds of the core, with DESIGN.md §3 defaults; every one is configuration. Units are in
 * the names. Each detector section is the detector's own settings type, defaults and all (see
 * its file); this composes them with the core's own.
 */
export interface CoreConfig {
  /** The same payload heard by several feeds within this window is one report. */
  dedupeWindowSeconds: number;
  /**
   * How far the core's watermark trails the inputs' progress (the slowest feed's in `replay`, the
   * slowest active partition's in the worker): the time late and reordered reports have.
   */
  allowedLatenessSeconds: number;
  /** Vessels not heard for this long are forgotten (bounds memory). */
  forgetVesselAfterSeconds: number;
  darkGap: DarkGapConfig;
  rendezvous: RendezvousConfig;
  loitering: LoiteringConfig;
  positionJump: JumpThresholds;
  identityConflict: IdentityConflictConfig;
  invalidIdentity: InvalidIdentityConfig;
}

/**
 * The sections are the detectors' default objects, not copies: a detector built without settings
 * reads the very objects a core with this configuration names in its state snapshots
 * (`core-state.ts` refers to configuration objects by path instead of storing them).
 */
export const DEFAULT_CORE_CONFIG: CoreConfig = {
  dedupeWindowSeconds: 30,
  allowedLatenessSeconds: 120,
  forgetVesselAfterSeconds: 7 * 24 * 3600,
  darkGap: DEFAULT_DARK_GAP_CONFIG,
  rendezvous: DEFAULT_RENDEZVOUS_CONFIG,
  loitering: DEFAULT_LOITERING_CONFIG,
  positionJump: DEFAULT_JUMP_THRESHOLDS,
  identityConflict: DEFAULT_IDENTITY_CONFLICT_CONFIG,
  invalidIdentity: DEFAULT_INVALID_IDENTITY_CONFIG,
};
