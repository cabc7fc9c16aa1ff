/**
 * Ship-type groups of the AIS "type of ship and cargo" code (ITU-R M.1371 Table 53), the way
 * the usual maps colour them.
 */
export const SHIP_GROUPS = [
  { id: 'cargo', label: 'Cargo (70-79)', color: [102, 187, 106] },
  { id: 'tanker', label: 'Tanker (80-89)', color: [239, 83, 80] },
  { id: 'passenger', label: 'Passenger (60-69)', color: [66, 165, 245] },
  { id: 'fishing', label: 'Fishing (30)', color: [255, 167, 38] },
  { id: 'highspeed', label: 'High speed (40-49)', color: [255, 238, 88] },
  { id: 'special', label: 'Tug, pilot, SAR, law enforcement (31-35, 50-59)', color: [0, 188, 212] },
  { id: 'pleasure', label: 'Sailing, pleasure (36-37)', color: [206, 147, 216] },
  { id: 'other', label: 'Other or unknown', color: [176, 190, 197] },
] as const satisfies readonly { id: string; label: string; color: readonly number[] }[];

export type ShipGroup = (typeof SHIP_GROUPS)[number]['id'];

export function shipGroup(shipType: number | undefined): ShipGroup {
  if (shipType === undefined) return 'other';
  if (shipType >= 70 && shipType <= 79) return 'cargo';
  if (shipType >= 80 && shipType <= 89) return 'tanker';
  if (shipType >= 60 && shipType <= 69) return 'passenger';
  if (shipType === 30) return 'fishing';
  if (shipType >= 40 && shipType <= 49) return 'highspeed';
  if ((shipType >= 31 && shipType <= 35) || (shipType >= 50 && shipType <= 59)) return 'special';
  if (shipType === 36 || shipType === 37) return 'pleasure';
  return 'other';
}

const COLORS = new Map<ShipGroup, readonly number[]>(SHIP_GROUPS.map((g) => [g.id, g.color]));

export function shipColor(shipType: number | undefined): readonly number[] {
  return COLORS.get(shipGroup(shipType))!;
}
