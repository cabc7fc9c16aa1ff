/**
 * Member feeds known to this core, each with a bit in a 32-bit mask: provenance travels with
 * every report as a mask (cheap to merge on the hot path) and becomes member ids at the edge.
 */
export const MAX_MEMBERS = 32;

export class MemberRegistry {
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();

  /** The bit index of `id`, registering it on first use. */
  index(id: string): number {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    if (this.ids.length >= MAX_MEMBERS) {
      throw new Error(
        `Too many member feeds: ${id} would be member ${MAX_MEMBERS + 1} (max ${MAX_MEMBERS}).`,
      );
    }
    const index = this.ids.length;
    this.ids.push(id);
    this.byId.set(id, index);
    return index;
  }

  /** Mask with the bit of `id`. */
  bit(id: string): number {
    return 1 << this.index(id);
  }

  /** Member ids in a mask, sorted, so output does not depend on the order members appeared. */
  idsOf(mask: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.ids.length; i++) if ((mask >>> i) & 1) out.push(this.ids[i]!);
    return out.sort();
  }
}

/** What turns a provenance mask into member ids (the history writers need no more). */
export type MemberNames = Pick<MemberRegistry, 'idsOf'>;
