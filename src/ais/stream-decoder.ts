import { AisMessage } from './ais-message.js';
import { AsciiInterner } from './ascii-interner.js';
import { parseEpochMillis } from './ascii-number.js';
import { createDecodeStats, type DecodeStats } from './decode-stats.js';
import {
  type Fragment,
  FragmentAssembler,
  type FragmentAssemblerOptions,
} from './fragment-assembler.js';
import { GatehouseTime } from './gatehouse-time.js';
import { MAX_LINE_BYTES } from './max-line-bytes.js';
import { decodePayload } from './payload-decoder.js';
import type { RejectReason } from './reject-reason.js';
import { isArmoured, SixbitPayload } from './sixbit.js';
import { latin1, TagBlock } from './tag-block.js';
import { VdmSentence } from './vdm-sentence.js';

const BANG = 33;
const DOLLAR = 36;
const HASH = 35;
const BACKSLASH = 92;
const CR = 13;

/** What one line turned into. */
export type LineOutcome = 'message' | 'pending' | 'context' | 'rejected';

/**
 * Called for every rejected line: the current one, and earlier parts of multi-sentence messages
 * that are given up. `buf[start..end)` is the line (valid only during the call). For
 * `unsupported_type` the decoder's `message.type` and `message.mmsi` are set.
 */
export type RejectHandler = (
  reason: RejectReason,
  buf: Uint8Array,
  start: number,
  end: number,
) => void;

export interface StreamDecoderOptions {
  onReject?: RejectHandler;
  /** Reject messages whose receive time is unknown with `no_timestamp` (replay, worker). */
  requireTime?: boolean;
  fragments?: Partial<FragmentAssemblerOptions>;
}

/**
 * Line-by-line AIS decoder for NMEA 0183 streams as receivers and providers deliver them:
 * `!AIVDM`/`!AIVDO` with any talker, NMEA 4.x tag blocks (`\s:..,c:..*hh\`, alone on a line or
 * in front of the sentence), Gatehouse `$PGHP` time lines, receive times appended after the
 * checksum (`*hh,1328133720012`) or in front of the line (`1328133720 !AIVDM...`).
 *
 * Hot path: the line stays in the caller's buffer and is parsed in place into reused objects;
 * only multi-sentence parts (copied while pending) and text fields allocate.
 */
export class StreamDecoder {
  /** The decoded message; valid after `decodeLine` returned 'message', overwritten by the next. */
  readonly message = new AisMessage();
  readonly stats: DecodeStats = createDecodeStats();

  private readonly sentence = new VdmSentence();
  private readonly tagBlock = new TagBlock();
  private readonly gatehouse = new GatehouseTime();
  private readonly payload = new SixbitPayload();
  private readonly interner = new AsciiInterner();
  private readonly assembler: FragmentAssembler;
  private readonly onReject: RejectHandler | undefined;
  private readonly requireTime: boolean;
  /**
   * Receive time and station given by a preceding `$PGHP` or lone tag-block line; they hold for
   * the sentences that follow (all parts of a multi-sentence message) until the next such line.
   */
  private contextTime = Number.NaN;
  private contextStation: string | undefined = undefined;
  /** Receive time used when a line carries none (the Kafka message time stamp). */
  private fallbackTime = Number.NaN;
  private readonly dropFragment = (fragment: Fragment): void => {
    this.reject('fragment', fragment.line, 0, fragment.line.length);
  };

  constructor(options: StreamDecoderOptions = {}) {
    this.onReject = options.onReject;
    this.requireTime = options.requireTime ?? false;
    this.assembler = new FragmentAssembler(options.fragments);
  }

  /** Sets the receive time (epoch ms) for lines that carry none; NaN to unset. */
  setFallbackTime(epochMillis: number): void {
    this.fallbackTime = epochMillis;
  }

  /** Number of multi-sentence messages waiting for parts. */
  get pendingMessages(): number {
    return this.assembler.size;
  }

  /** Decodes one line `buf[start..end)` (without its newline; a trailing `\r` is ignored). */
  decodeLine(buf: Uint8Array, start: number, end: number): LineOutcome {
    this.stats.lines++;
    if (end - start - (end > start && buf[end - 1] === CR ? 1 : 0) > MAX_LINE_BYTES) {
      return this.reject('syntax', buf, start, end);
    }
    while (end > start && buf[end - 1]! <= 32) end--;
    while (start < end && buf[start]! <= 32) start++;
    const lineStart = start;
    if (start === end || buf[start] === HASH) return this.context();

    let prefixTime = Number.NaN;
    const first = buf[start]!;
    if (first >= 48 && first <= 57) {
      // A receive time in front of the sentence: "<epoch>[ ,;\t]<sentence>".
      let i = start;
      while (i < end && buf[i] !== 32 && buf[i] !== 44 && buf[i] !== 59 && buf[i] !== 9) i++;
      prefixTime = parsePrefixTime(buf, start, i);
      if (Number.isNaN(prefixTime) || i === end) return this.reject('syntax', buf, lineStart, end);
      start = i + 1;
    }

    let tagTime = Number.NaN;
    let tagStation: string | undefined;
    let groupId = -1;
    if (buf[start] === BACKSLASH) {
      const after = this.tagBlock.parse(buf, start, end);
      if (after < 0) return this.reject('syntax', buf, lineStart, end);
      if (!this.tagBlock.checksumValid) this.stats.tagBlockChecksumErrors++;
      tagTime = this.tagBlock.receivedAt;
      tagStation = this.tagBlock.station;
      groupId = this.tagBlock.groupId;
      if (after === end) {
        // A lone tag block (DMA logs: `\si:AISD*3F\`): context for the next sentence.
        if (!Number.isNaN(tagTime)) this.contextTime = tagTime;
        if (tagStation !== undefined) this.contextStation = tagStation;
        return this.context();
      }
      start = after;
    }

    const lead = buf[start];
    if (lead === DOLLAR && isGatehouse(buf, start, end)) {
      const result = this.gatehouse.parse(buf, start, end);
      if (result === -2) return this.reject('checksum', buf, lineStart, end);
      if (result < 0) return this.reject('syntax', buf, lineStart, end);
      this.contextTime = this.gatehouse.receivedAt;
      if (this.gatehouse.station !== undefined) this.contextStation = this.gatehouse.station;
      return this.context();
    }
    if (lead !== BANG && lead !== DOLLAR) return this.reject('syntax', buf, lineStart, end);

    const s = this.sentence;
    const parsed = s.parse(buf, start, end);
    if (parsed === -3) return this.reject('non_ais', buf, lineStart, end);
    if (parsed === -2) return this.reject('checksum', buf, lineStart, end);
    if (parsed < 0) return this.reject('syntax', buf, lineStart, end);

    let receivedAt = tagTime;
    if (Number.isNaN(receivedAt)) receivedAt = s.trailingTime;
    if (Number.isNaN(receivedAt)) receivedAt = prefixTime;
    if (Number.isNaN(receivedAt)) receivedAt = this.contextTime;
    const station =
      tagStation ??
      (s.trailingStation >= 0
        ? this.interner.intern(buf, s.trailingStation, s.trailingStationEnd)
        : this.contextStation);

    const payload = this.payload;
    payload.reset();
    if (s.fragmentCount === 1) {
      if (!payload.append(buf, s.payloadStart, s.payloadEnd)) {
        return this.reject('syntax', buf, lineStart, end);
      }
      const reason = this.decode(s.fillBits, receivedAt, station);
      return reason === undefined ? 'message' : this.reject(reason, buf, lineStart, end);
    }

    // Multi-sentence message: keep a copy of this part until all parts are in.
    if (!isArmoured(buf, s.payloadStart, s.payloadEnd))
      return this.reject('syntax', buf, lineStart, end);
    const line = buf.slice(lineStart, end);
    const fragment: Fragment = {
      line,
      payloadStart: s.payloadStart - lineStart,
      payloadEnd: s.payloadEnd - lineStart,
      fillBits: s.fillBits,
      receivedAt,
      station,
    };
    const key =
      groupId >= 0
        ? `g${groupId}|${s.fragmentCount}`
        : `${station ?? ''}|${s.sequenceId}|${s.channel}|${s.fragmentCount}`;
    const parts = this.assembler.add(
      key,
      s.fragmentNumber,
      s.fragmentCount,
      fragment,
      this.stats.lines,
      this.dropFragment,
    );
    if (parts === undefined) return 'pending';

    // The receive time and station of the first part that has them.
    let time = Number.NaN;
    let partStation: string | undefined;
    let fits = true;
    for (const part of parts) {
      fits &&= payload.append(part.line, part.payloadStart, part.payloadEnd);
      if (Number.isNaN(time)) time = part.receivedAt;
      partStation ??= part.station;
    }
    const reason = fits
      ? this.decode(parts[parts.length - 1]!.fillBits, time, partStation)
      : 'payload_length';
    if (reason !== undefined) {
      // Every part of a message that cannot be decoded is rejected with it.
      for (const part of parts) this.reject(reason, part.line, 0, part.line.length);
      return 'rejected';
    }
    this.stats.fragments += parts.length - 1;
    return 'message';
  }

  /** End of input: gives up incomplete multi-sentence messages (rejected as `fragment`). */
  flush(): void {
    this.assembler.flush(this.dropFragment);
  }

  /** Decodes the assembled payload into `message`; returns the reject reason, if any. */
  private decode(
    fillBits: number,
    receivedAt: number,
    station: string | undefined,
  ): RejectReason | undefined {
    this.payload.finish(fillBits);
    const m = this.message;
    m.clear();
    const reason = decodePayload(this.payload, m);
    if (reason !== undefined) return reason;
    if (Number.isNaN(receivedAt)) receivedAt = this.fallbackTime;
    if (!Number.isNaN(receivedAt)) m.receivedAt = receivedAt;
    else if (this.requireTime) return 'no_timestamp';
    m.station = station;
    m.payloadHash = this.payload.hash(0x811c9dc5);
    m.payloadCheck = this.payload.hash(0x050c5d1f);
    this.stats.messages++;
    this.stats.byType[m.type]!++;
    return undefined;
  }

  private context(): LineOutcome {
    this.stats.context++;
    return 'context';
  }

  private reject(reason: RejectReason, buf: Uint8Array, start: number, end: number): LineOutcome {
    this.stats.rejected[reason]++;
    this.onReject?.(reason, buf, start, end);
    return 'rejected';
  }
}

function isGatehouse(buf: Uint8Array, start: number, end: number): boolean {
  return (
    end - start > 6 &&
    buf[start + 1] === 80 /* P */ &&
    buf[start + 2] === 71 /* G */ &&
    buf[start + 3] === 72 /* H */ &&
    buf[start + 4] === 80 /* P */ &&
    buf[start + 5] === 44
  );
}

/** Epoch seconds/milliseconds, or an ISO 8601 time, in front of a sentence. */
function parsePrefixTime(buf: Uint8Array, start: number, end: number): number {
  const epoch = parseEpochMillis(buf, start, end);
  if (!Number.isNaN(epoch)) return epoch;
  const text = latin1(buf, start, end);
  return text.includes('T') ? Date.parse(text) : Number.NaN;
}
