import { StateExternals } from '../state/state-externals.js';
import type { CoreOutput, FusionCore } from './fusion-core.js';

/**
 * What a snapshot of `core` refers to instead of holding: its configuration (every section),
 * its zones and its output. A core restored from the snapshot must be built with the same
 * configuration and zones (`stateFingerprint` checks it); the output is the restoring side's.
 */
export function coreStateExternals(core: FusionCore, output: CoreOutput): StateExternals {
  return new StateExternals()
    .add('core.config', core.config, { deep: true })
    .add('core.zones', core.zones)
    .add('core.output', output);
}
