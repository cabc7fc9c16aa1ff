import type { AisMessage } from '../ais/ais-message.js';
import { nextBit } from '../coalition/bitset.js';
import type { Coalition } from '../coalition/coalition.js';
import {
  type PictureClass,
  type PictureClasses,
  pictureClasses,
} from '../coalition/picture-classes.js';
import { policyVersion } from '../coalition/policy-version.js';
import { ReleaseTable } from '../coalition/release-table.js';
import type { DetectorFactory } from '../detect/detector.js';
import type { MemberRegistry } from '../fusion/member-registry.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import { ContributionZones } from './contribution-zones.js';
import type { CoreConfig } from './core-config.js';
import { type CoreOutput, FusionCore } from './fusion-core.js';
import { picturesForFeeds } from './pictures-for-feeds.js';

/**
 * Why a contribution feeds no picture. A dead-letter reason like the decoder's (DESIGN.md §4),
 * at the coalition's edge: a feed of a member the coalition file does not know is released to
 * nobody, not even to itself (it has no picture).
 */
export const CONTRIBUTION_REJECT_REASONS = ['unknown_member'] as const;

export type ContributionRejectReason = (typeof CONTRIBUTION_REJECT_REASONS)[number];

export interface PictureSetOptions {
  readonly coalition: Coalition;
  readonly zones: ZoneIndex | undefined;
  readonly config: CoreConfig;
  /** The detectors of a picture whose audiences receive some alert kind. */
  readonly detectors: readonly DetectorFactory[];
  /** Where the core of each picture sends its alerts and tracks. */
  readonly output: (picture: PictureClass) => CoreOutput;
  /**
   * The members that will contribute, when known beforehand (`replay`'s feeds): pictures that
   * differ only in members that send nothing are computed once (pictures-for-feeds.ts). A
   * contribution of a member left out is then a caller's error.
   */
  readonly contributors?: ReadonlySet<string>;
  /** One registry for every picture's member sets (FusionCore's `members`); default: one each. */
  readonly members?: MemberRegistry;
}

/**
 * The coalition's distinct pictures side by side (DESIGN.md §6, issue 13): one FusionCore per
 * picture class (picture-classes.ts), each fed exactly the contributions visible to its
 * audiences, so each is by construction the replay of what its audiences may see — dedupe,
 * sources, report counts, coverage, every detector. Decoding happens once, before; the release
 * decision happens once per contribution, here: contributor and position → release table mask.
 *
 * What is shared and what is not: a picture's dedupe, fusion and detectors cannot be shared
 * without losing exactness, because they depend on which copies a picture sees (a report's time
 * is its earliest visible copy's, its station the first visible one's, its sources the visible
 * ones; a dark gap's coverage is learnt from the visible stations). So cost grows with the
 * number of distinct pictures times the share of the input each sees; see README Performance.
 * A picture whose audiences receive only tracks runs no detector: tracks do not depend on them.
 */
export class PictureSet {
  readonly coalition: Coalition;
  /** The pictures computed: the policy's classes, merged where the contributors allow. */
  readonly pictures: PictureClasses;
  /** The policy's picture classes (coalition explain's p1, p2, ...). */
  readonly policyPictures: PictureClasses;
  readonly table: ReleaseTable;
  /** The policy version every output carries (policy-version.ts). */
  readonly version: string;
  /** One core per picture class, by class index. */
  readonly cores: readonly FusionCore[];
  /** Contributions rejected, by reason then member. */
  readonly rejected: Record<ContributionRejectReason, Map<string, number>> = {
    unknown_member: new Map(),
  };
  /** Per contributor index: 1 when it may contribute (every member without `contributors`). */
  private readonly declared: Uint8Array;
  private readonly contributionZones: ContributionZones;
  /** Per contributor: 1 when some `inside` rule withholds its reports from some picture. */
  private readonly restricted: Uint8Array;
  /** Release-zone index per zone-index position (ReleaseTable.zoneLookup). */
  private readonly releaseZoneOf: Int32Array;
  private readonly zoneScratch: number[] = [];
  private inside: Int32Array;
  private readonly mask: Uint32Array;

  constructor(options: PictureSetOptions) {
    const { coalition, zones } = options;
    this.coalition = coalition;
    this.policyPictures = pictureClasses(coalition);
    this.pictures =
      options.contributors === undefined
        ? this.policyPictures
        : picturesForFeeds(this.policyPictures, options.contributors);
    this.table = new ReleaseTable(coalition, this.pictures);
    this.version = policyVersion(coalition, this.policyPictures);
    this.cores = this.pictures.classes.map(
      (picture) =>
        new FusionCore(
          options.config,
          zones,
          options.output(picture),
          picture.outputs.some((output) => output !== 'tracks') ? options.detectors : [],
          options.members,
        ),
    );
    const contributors = this.table.contributors.length;
    this.declared = Uint8Array.from(this.table.contributors, (id) =>
      options.contributors === undefined || options.contributors.has(id) ? 1 : 0,
    );
    this.contributionZones = new ContributionZones(zones, contributors);
    this.releaseZoneOf = this.table.zoneLookup(zones?.zones ?? []);
    this.inside = new Int32Array(Math.max(1, this.releaseZoneOf.length));
    this.mask = this.table.newMask();

    // A contributor is restricted when being inside every release zone at once changes its mask.
    this.restricted = new Uint8Array(contributors);
    const everyZone = Int32Array.from(this.table.releaseZoneIds, (_, i) => i);
    const anywhere = this.table.newMask();
    for (let c = 0; c < contributors; c++) {
      this.table.picturesFor(c, everyZone, 0, anywhere);
      this.table.picturesFor(c, everyZone, everyZone.length, this.mask);
      if (anywhere.some((word, i) => word !== this.mask[i])) this.restricted[c] = 1;
    }
  }

  /**
   * Feeds one decoded message heard by `member` through `station` to every picture that may see
   * it. Returns the mask of those pictures (reused: read it before the next call), or undefined
   * when the contribution was rejected (counted in `rejected`).
   */
  ingest(m: AisMessage, member: string, station: string | undefined): Uint32Array | undefined {
    const table = this.table;
    const c = table.contributorIndex(member);
    if (c < 0) {
      const counts = this.rejected.unknown_member;
      counts.set(member, (counts.get(member) ?? 0) + 1);
      return undefined;
    }
    if (this.declared[c] === 0) {
      throw new Error(`PictureSet: ${member} was not declared as a contributor`);
    }
    const mask = this.mask;
    if (this.restricted[c] === 1) {
      const scratch = this.zoneScratch;
      const count = this.contributionZones.zonesOf(m, c, scratch);
      if (count > this.inside.length) this.inside = new Int32Array(count);
      const inside = this.inside;
      for (let i = 0; i < count; i++) inside[i] = this.releaseZoneOf[scratch[i]!]!;
      table.picturesFor(c, inside, count, mask);
    } else {
      table.picturesFor(c, this.inside, 0, mask);
    }
    const words = table.wordsPerMask;
    for (let p = nextBit(mask, 0, words); p >= 0; p = nextBit(mask, p + 1, words)) {
      this.cores[p]!.ingest(m, member, station);
    }
    return mask;
  }

  /** Contributions rejected for `reason`, over all members. */
  rejectedCount(reason: ContributionRejectReason): number {
    let total = 0;
    for (const n of this.rejected[reason].values()) total += n;
    return total;
  }
}
