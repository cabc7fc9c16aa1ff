import { ALERT_KINDS, type AlertKind } from '../detect/alert.js';

/**
 * What a module of cooperation can deliver to its members (DESIGN.md §6): the fused tracks and
 * each alert kind of §3, one by one, so a member can join a border module for dark gaps without
 * receiving the coalition's whole track picture.
 */
export const COALITION_OUTPUTS = ['tracks', ...ALERT_KINDS] as const;

export type CoalitionOutput = 'tracks' | AlertKind;

export function isCoalitionOutput(value: string): value is CoalitionOutput {
  return (COALITION_OUTPUTS as readonly string[]).includes(value);
}
