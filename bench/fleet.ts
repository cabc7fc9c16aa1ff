import { type AisEncodeInput, type ArmouredPayload, encodeAisPayload } from '../src/ais/encoder.js';
import { nmeaChecksum, writeSentences } from '../src/ais/sentence-writer.js';
import { packPositionReport } from '../src/sim/position-packer.js';
import { createRandom, type Random } from './prng.js';
import type { PortArea } from './zone-set.js';

/** What `FleetStream` generates: how many vessels, where, from which seed. */
export interface FleetOptions {
  readonly vessels: number;
  readonly seed: number;
  /** [minLon, minLat, maxLon, maxLat] the vessels stay in. */
  readonly area: readonly [number, number, number, number];
  readonly ports: readonly PortArea[];
  /** Event time of the first second, epoch ms (default 2024-06-01T00:00:00Z). */
  readonly startMs?: number;
  /** Every vessel's first position report comes within this many seconds (default 30). */
  readonly firstPositionWithinSeconds?: number;
  /**
   * Every vessel's first static data comes within this many seconds (default 360, the static
   * interval: the steady state from the start).
   */
  readonly firstStaticWithinSeconds?: number;
}

/** Some seconds of the members' feeds, merged in receive-time order. */
export interface FleetSegment {
  /** One NMEA line per `\n`, each with a tag block `\s:STATION,c:SECONDS*hh\` (and `g:`). */
  readonly bytes: Buffer;
  /** Index into `FleetStream.members` of each line's member feed. */
  readonly lineMember: Uint8Array;
  readonly lines: number;
  /** AIS messages the lines carry, duplicates included (a two-sentence type 5 counts once). */
  readonly messages: number;
  /** Messages that are another member's copy of a transmission. */
  readonly duplicates: number;
  /** Position reports among the messages. */
  readonly positions: number;
  /** Event time covered: [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
}

export const FLEET_MEMBERS = ['ca', 'no', 'au'] as const;

const MOORED = 0;
const ANCHORED = 1;
const SLOW = 2;
const UNDER_WAY = 3;
/** Anchored vessels per anchorage, and the anchorage's spread (1 σ), metres. */
const SHIPS_PER_ANCHORAGE = 50;
const ANCHORAGE_SIGMA_METERS = 1500;
const METERS_PER_DEGREE = 111_195;
const KNOT_METERS_PER_SECOND = 1852 / 3600;
/** The calendar of due transmissions covers this many seconds (longer than any interval). */
const RING_SECONDS = 512;
const STATIC_INTERVAL_SECONDS = 360;
const DEFAULT_FIRST_POSITION_WITHIN_SECONDS = 30;
const BORDER_DEGREES = 2;
const NEIGHBOUR_HEARS = 0.7;
const THIRD_MEMBER_HEARS = 0.03;
/** Valid ship MIDs (ITU-R M.585): Australia, New Zealand, Indonesia, ... Liberia, Hong Kong. */
const MIDS = [503, 512, 525, 533, 538, 548, 563, 566, 636, 477] as const;
const DEFAULT_START_MS = Date.UTC(2024, 5, 1);

/** One message as received by one member: its lines, kept together in the merged stream. */
interface Reception {
  member: number;
  lines: string[];
  duplicate: boolean;
  position: boolean;
}

/**
 * A seeded fleet of `vessels` AIS units moving realistically over a zone set's area, and the
 * NMEA 4.10 tag-blocked lines their members' receivers deliver, second by second (the core
 * benchmarks' input, issue 5). Mix of units:
 * - 15 % moored inside the ports (nav status 5, GPS jitter of a few metres), 10 % at anchor in
 *   anchorages of about 50 ships (1.5 km σ) off the ports and in open water (nav status 1,
 *   swinging ±15 m): class A, a report every 3 min;
 * - 10 % slow (0.5–3 kn: fishing, drifting), 65 % under way at 8–22 kn: class A every 10 s
 *   under 14 kn and 6 s above (ITU-R M.1371-5 Table 1), a fifth of them class B every 30 s;
 * - static data every 6 min (type 5, two sentences, for class A; 24 A and 24 B for class B).
 *
 * Three members split the area into thirds of longitude; within 2° of a border the neighbour
 * member hears a transmission too (70 %), and 3 % of all transmissions are also heard by the
 * third member: about 20 % of the transmissions reach two or three members (cross-member
 * duplicates, the same payload under another tag block, up to a second later; 17 % of the
 * messages in the merged stream are such copies).
 */
export class FleetStream {
  readonly members: readonly string[] = FLEET_MEMBERS;
  readonly vessels: number;
  readonly mmsi: Int32Array;
  /** MOORED, ANCHORED, SLOW, UNDER_WAY. */
  readonly kind: Uint8Array;
  private readonly classB: Uint8Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  private readonly homeLat: Float64Array;
  private readonly homeLon: Float64Array;
  private readonly course: Float64Array;
  private readonly speed: Float32Array;
  private readonly interval: Uint16Array;
  private readonly movedAt: Float64Array;
  private readonly shipType: Uint8Array;
  private readonly random: Random;
  private readonly area: readonly [number, number, number, number];
  /** Due transmissions per second (ring): vessel × 2, + 1 for static data. */
  private readonly ring: number[][] = [];
  private second = 0;
  private readonly startMs: number;
  private current: Reception[] = [];
  private next: Reception[] = [];
  private readonly sequenceId = [0, 0, 0];
  private readonly message: AisEncodeInput = { type: 1, mmsi: 0 };
  private readonly out = new LineBuffer();
  /** Tag blocks of the current and the next second. */
  private readonly tags = new Map<number, string>();

  constructor(options: FleetOptions) {
    const n = options.vessels;
    this.vessels = n;
    this.area = options.area;
    this.startMs = options.startMs ?? DEFAULT_START_MS;
    const random = createRandom(options.seed ^ 0xf1ee7);
    this.random = random;
    this.mmsi = new Int32Array(n);
    this.kind = new Uint8Array(n);
    this.classB = new Uint8Array(n);
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.homeLat = new Float64Array(n);
    this.homeLon = new Float64Array(n);
    this.course = new Float64Array(n);
    this.speed = new Float32Array(n);
    this.interval = new Uint16Array(n);
    this.movedAt = new Float64Array(n);
    this.shipType = new Uint8Array(n);
    for (let s = 0; s < RING_SECONDS; s++) this.ring.push([]);
    const firstPosition =
      options.firstPositionWithinSeconds ?? DEFAULT_FIRST_POSITION_WITHIN_SECONDS;
    const firstStatic = options.firstStaticWithinSeconds ?? STATIC_INTERVAL_SECONDS;
    if (
      !(
        firstPosition >= 1 &&
        firstStatic >= 1 &&
        Math.max(firstPosition, firstStatic) <= RING_SECONDS
      )
    ) {
      throw new RangeError(
        `FleetStream: first reports within ${firstPosition} s and ${firstStatic} s: each must be 1..${RING_SECONDS}.`,
      );
    }

    const [minLon, minLat, maxLon, maxLat] = this.area;
    const anchorages: [number, number][] = [];
    const anchorageCount = Math.max(1, Math.ceil((0.1 * n) / SHIPS_PER_ANCHORAGE));
    for (let i = 0; i < anchorageCount; i++) {
      // One anchorage off each port (outside it), the others in open water: the density of
      // ships at anchor, and so the number of pairs within 500 m, stays that of a real
      // anchorage whatever the fleet's size.
      const port = options.ports[i];
      anchorages.push(
        port !== undefined
          ? [port.lon + 0.1 + 0.1 * random.next(), port.lat + 0.1 + 0.1 * random.next()]
          : [
              minLon + 2 + (maxLon - minLon - 4) * random.next(),
              minLat + 2 + (maxLat - minLat - 4) * random.next(),
            ],
      );
    }
    for (let v = 0; v < n; v++) {
      this.mmsi[v] = MIDS[v % MIDS.length]! * 1_000_000 + 100_000 + Math.floor(v / MIDS.length);
      const draw = random.next();
      let lat: number;
      let lon: number;
      if (draw < 0.15 && options.ports.length > 0) {
        const port = random.pick(options.ports);
        const r = port.innerRadiusDegrees * Math.sqrt(random.next());
        const theta = 2 * Math.PI * random.next();
        lon = port.lon + r * Math.cos(theta);
        lat = port.lat + r * Math.sin(theta);
        this.kind[v] = MOORED;
        this.interval[v] = 180;
        this.shipType[v] = random.pick([70, 80, 60, 52]);
      } else if (draw < 0.25) {
        const [aLon, aLat] = random.pick(anchorages);
        lat = aLat + (gaussian(random) * ANCHORAGE_SIGMA_METERS) / METERS_PER_DEGREE;
        lon = aLon + (gaussian(random) * ANCHORAGE_SIGMA_METERS) / metersPerLonDegree(aLat);
        this.kind[v] = ANCHORED;
        this.interval[v] = 180;
        this.shipType[v] = random.pick([70, 80, 71, 81]);
      } else {
        lon = minLon + (maxLon - minLon) * random.next();
        lat = minLat + (maxLat - minLat) * random.next();
        const classB = random.next() < 0.2;
        this.classB[v] = classB ? 1 : 0;
        this.course[v] = 360 * random.next();
        if (draw < 0.35) {
          this.kind[v] = SLOW;
          this.speed[v] = 0.5 + 2.5 * random.next();
          this.interval[v] = classB ? 30 : 10;
          this.shipType[v] = classB ? 37 : 30;
        } else {
          this.kind[v] = UNDER_WAY;
          const knots = 8 + 14 * random.next();
          this.speed[v] = knots;
          this.interval[v] = classB ? 30 : knots < 14 ? 10 : 6;
          this.shipType[v] = classB ? 36 : random.pick([70, 80, 60, 30]);
        }
      }
      this.lat[v] = this.homeLat[v] = lat;
      this.lon[v] = this.homeLon[v] = lon;
      const firstWithin = Math.min(this.interval[v]!, firstPosition);
      this.ring[Math.floor(random.next() * firstWithin)]!.push(v * 2);
      this.ring[Math.floor(random.next() * firstStatic)]!.push(v * 2 + 1);
    }
  }

  /** Event time reached: the start of the next second to generate, epoch ms. */
  get timeMs(): number {
    return this.startMs + this.second * 1000;
  }

  /** Whole seconds of traffic until the segment holds at least `minLines` lines. */
  nextLines(minLines: number): FleetSegment {
    return this.generate((lines) => lines >= minLines);
  }

  /** `seconds` seconds of traffic. */
  nextSeconds(seconds: number): FleetSegment {
    const until = this.second + seconds;
    return this.generate(() => this.second >= until);
  }

  private generate(done: (lines: number) => boolean): FleetSegment {
    const fromMs = this.timeMs;
    const out = this.out;
    out.lines = 0;
    out.length = 0;
    let messages = 0;
    let duplicates = 0;
    let positions = 0;
    do {
      this.emitSecond();
      const batch = this.current;
      shuffle(batch, this.random);
      const text: string[] = [];
      for (const reception of batch) {
        for (const line of reception.lines) {
          text.push(line);
          out.member(reception.member);
        }
        messages++;
        if (reception.duplicate) duplicates++;
        if (reception.position) positions++;
      }
      text.push('');
      out.write(text.join('\n'));
      this.current = this.next;
      this.next = [];
    } while (!done(out.lines));
    return {
      bytes: Buffer.from(out.bytes.subarray(0, out.length)),
      lineMember: out.members.slice(0, out.lines),
      lines: out.lines,
      messages,
      duplicates,
      positions,
      fromMs,
      toMs: this.timeMs,
    };
  }

  /** Every transmission due in the current second, into `current` (late copies into `next`). */
  private emitSecond(): void {
    const t = this.second;
    const slot = t % RING_SECONDS;
    const due = this.ring[slot]!;
    this.ring[slot] = [];
    this.tags.clear();
    for (const event of due) {
      const v = event >> 1;
      if ((event & 1) === 0) {
        this.transmit(v, t, this.position(v, t), true);
        this.ring[(t + this.interval[v]!) % RING_SECONDS]!.push(event);
      } else {
        for (const payload of this.staticData(v)) this.transmit(v, t, payload, false);
        this.ring[(t + STATIC_INTERVAL_SECONDS) % RING_SECONDS]!.push(event);
      }
    }
    this.second++;
  }

  /** Moves vessel `v` to second `t` and encodes its position report. */
  private position(v: number, t: number): ArmouredPayload {
    const random = this.random;
    const dt = t - this.movedAt[v]!;
    this.movedAt[v] = t;
    const m = this.message;
    const kind = this.kind[v]!;
    let sog: number;
    let cog: number;
    let heading: number;
    if (kind === MOORED || kind === ANCHORED) {
      const jitterMeters = kind === MOORED ? 3 : 15;
      this.lat[v] =
        this.homeLat[v]! + ((random.next() - 0.5) * 2 * jitterMeters) / METERS_PER_DEGREE;
      this.lon[v] =
        this.homeLon[v]! +
        ((random.next() - 0.5) * 2 * jitterMeters) / metersPerLonDegree(this.homeLat[v]!);
      sog = kind === MOORED ? 0 : 0.1;
      cog = Math.floor(3600 * random.next()) / 10;
      heading = Math.floor(360 * random.next());
      m.navStatus = kind === MOORED ? 5 : 1;
    } else {
      const [minLon, minLat, maxLon, maxLat] = this.area;
      let course = this.course[v]! + (random.next() - 0.5) * (kind === SLOW ? 20 : 4);
      const lat = this.lat[v]!;
      const lon = this.lon[v]!;
      if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) {
        // Turn back towards the middle of the area.
        const toLon = (minLon + maxLon) / 2 - lon;
        const toLat = (minLat + maxLat) / 2 - lat;
        course = (Math.atan2(toLon, toLat) * 180) / Math.PI + (random.next() - 0.5) * 60;
      }
      course = ((course % 360) + 360) % 360;
      this.course[v] = course;
      const meters = this.speed[v]! * KNOT_METERS_PER_SECOND * dt;
      const radians = (course * Math.PI) / 180;
      this.lat[v] = lat + (Math.cos(radians) * meters) / METERS_PER_DEGREE;
      this.lon[v] = lon + (Math.sin(radians) * meters) / metersPerLonDegree(lat);
      sog = Math.round(this.speed[v]! * 10) / 10;
      cog = Math.round(course * 10) / 10;
      if (cog >= 360) cog = 0;
      heading = Math.round(course) % 360;
      m.navStatus = kind === SLOW ? 7 : 0;
    }
    const classB = this.classB[v] === 1;
    m.type = classB ? 18 : random.next() < 0.1 ? 3 : 1;
    m.mmsi = this.mmsi[v]!;
    m.sog = sog;
    m.cog = cog;
    m.heading = heading;
    m.lat = this.lat[v]!;
    m.lon = this.lon[v]!;
    m.second = t % 60;
    m.rot = classB ? undefined : 0;
    m.accuracy = random.next() < 0.5;
    m.cs = classB;
    m.radio = Math.floor(random.next() * (classB ? 1 << 20 : 1 << 19));
    return packPositionReport(m);
  }

  /** Type 5 for class A; 24 A and 24 B for class B. */
  private staticData(v: number): ArmouredPayload[] {
    const mmsi = this.mmsi[v]!;
    const name = `BENCH ${v}`;
    const callSign = `V${(v * 7919) % 1_000_000}`;
    if (this.classB[v] === 1) {
      return [
        encodeAisPayload({ type: 24, mmsi, partNo: 0, shipName: name }),
        encodeAisPayload({
          type: 24,
          mmsi,
          partNo: 1,
          shipType: this.shipType[v]!,
          callSign,
          vendorId: 'BNC',
          toBow: 6,
          toStern: 4,
          toPort: 2,
          toStarboard: 2,
        }),
      ];
    }
    return [
      encodeAisPayload({
        type: 5,
        mmsi,
        imo: 9_000_000 + (v % 999_999),
        callSign,
        shipName: name,
        shipType: this.shipType[v]!,
        toBow: 120,
        toStern: 30,
        toPort: 12,
        toStarboard: 12,
        draught: 8.5,
        destination: 'BRISBANE',
        eta: '06-02T06:00Z',
        epfd: 1,
      }),
    ];
  }

  /** The members whose receivers hear this transmission, as lines of their feeds. */
  private transmit(v: number, t: number, armoured: ArmouredPayload, position: boolean): void {
    const random = this.random;
    const [minLon, , maxLon] = this.area;
    const third = (maxLon - minLon) / 3;
    const lon = this.lon[v]!;
    const home = Math.max(0, Math.min(2, Math.floor((lon - minLon) / third)));
    const channel = random.next() < 0.5 ? 'A' : 'B';
    this.receive(home, v, t, armoured, channel, position, false);
    const offset = lon - (minLon + home * third);
    let heard = 1 << home;
    if (offset < BORDER_DEGREES && home > 0 && random.next() < NEIGHBOUR_HEARS)
      heard |= 1 << (home - 1);
    else if (offset > third - BORDER_DEGREES && home < 2 && random.next() < NEIGHBOUR_HEARS)
      heard |= 1 << (home + 1);
    if (random.next() < THIRD_MEMBER_HEARS) heard |= 1 << random.int(0, 2);
    for (let member = 0; member < 3; member++) {
      if (member === home || (heard & (1 << member)) === 0) continue;
      this.receive(member, v, t, armoured, channel, position, true);
    }
  }

  private receive(
    member: number,
    v: number,
    t: number,
    armoured: ArmouredPayload,
    channel: 'A' | 'B',
    position: boolean,
    duplicate: boolean,
  ): void {
    const late = duplicate && this.random.next() < 0.3;
    // One station per 3° cell of each member's network.
    const [minLon, minLat] = this.area;
    const cell =
      Math.floor((this.lat[v]! - minLat) / 3) * 16 + Math.floor((this.lon[v]! - minLon) / 3);
    const receivedSecond = t + (late ? 1 : 0);
    let lines: string[];
    if (armoured.payload.length <= 60) {
      lines = [`${this.tagBlock(member, cell, receivedSecond)}${sentence(channel, armoured)}`];
    } else {
      const sequenceId = this.sequenceId[member]!;
      this.sequenceId[member] = (sequenceId + 1) % 10;
      lines = writeSentences(armoured, {
        channel,
        sequenceId,
        tagBlock: {
          station: `${FLEET_MEMBERS[member]}${cell}`,
          receivedAtMs: this.startMs + receivedSecond * 1000,
        },
      });
    }
    (late ? this.next : this.current).push({ member, lines, duplicate, position });
  }

  /** `\\s:STATION,c:SECONDS*hh\\`, made once per station and second (this one or the next). */
  private tagBlock(member: number, cell: number, second: number): string {
    const key = ((second - this.second) * 4 + member) * 100_000 + cell + 50_000;
    let tag = this.tags.get(key);
    if (tag === undefined) {
      const body = `s:${FLEET_MEMBERS[member]}${cell},c:${Math.floor(this.startMs / 1000) + second}`;
      tag = `\\${body}*${nmeaChecksum(body)}\\`;
      this.tags.set(key, tag);
    }
    return tag;
  }
}

/** A one-sentence `!AIVDM` (what writeSentences writes, without its checks and options). */
function sentence(channel: 'A' | 'B', armoured: ArmouredPayload): string {
  const body = `AIVDM,1,1,,${channel},${armoured.payload},${armoured.fillBits}`;
  return `!${body}*${nmeaChecksum(body)}`;
}

/** A second's lines written at once into bytes: no string per line outlives its second. */
class LineBuffer {
  bytes = Buffer.alloc(1 << 20);
  members = new Uint8Array(1 << 14);
  length = 0;
  lines = 0;

  /** `text`: lines, each `\n`-terminated. */
  write(text: string): void {
    if (this.length + text.length > this.bytes.length) {
      const bigger = Buffer.alloc(Math.max(this.bytes.length * 2, this.length + text.length));
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
    }
    this.length += this.bytes.write(text, this.length, 'latin1');
  }

  member(member: number): void {
    if (this.lines === this.members.length) {
      const bigger = new Uint8Array(this.members.length * 2);
      bigger.set(this.members);
      this.members = bigger;
    }
    this.members[this.lines++] = member;
  }
}

function metersPerLonDegree(lat: number): number {
  return METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
}

/** Standard normal (Box–Muller). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

function shuffle<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const item = items[i]!;
    items[i] = items[j]!;
    items[j] = item;
  }
}
