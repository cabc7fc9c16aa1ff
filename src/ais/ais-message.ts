/**
 * One decoded AIS message, in the units of DESIGN.md §2.2. The decoder fills one instance and
 * reuses it for the next message (no allocation per sentence): copy what you keep.
 * Every optional field is `undefined` when the message does not carry it or carries the
 * ITU-R M.1371 "not available" sentinel.
 */
export class AisMessage {
  /** ITU-R M.1371 message id, 1..27. */
  type = 0;
  mmsi = 0;
  /** Navigation status 0..15 (types 1-3, 27). */
  navStatus: number | undefined = undefined;
  /** Rate of turn in degrees per minute; ±720 means "turning fast, rate unknown" (ITU ±127). */
  rot: number | undefined = undefined;
  /** Speed over ground, knots. */
  sog: number | undefined = undefined;
  /** Position accuracy flag: true = high (< 10 m, DGNSS). */
  accuracy: boolean | undefined = undefined;
  /** Longitude, decimal degrees WGS84. */
  lon: number | undefined = undefined;
  /** Latitude, decimal degrees WGS84. */
  lat: number | undefined = undefined;
  /** Course over ground, degrees. */
  cog: number | undefined = undefined;
  /** True heading, degrees. */
  heading: number | undefined = undefined;
  /** UTC second of the position fix (0..59; 61..63 are the ITU special meanings). */
  second: number | undefined = undefined;
  imo: number | undefined = undefined;
  callSign: string | undefined = undefined;
  shipName: string | undefined = undefined;
  shipType: number | undefined = undefined;
  /** Dimensions to the reference point, metres. */
  toBow: number | undefined = undefined;
  toStern: number | undefined = undefined;
  toPort: number | undefined = undefined;
  toStarboard: number | undefined = undefined;
  /** Draught, metres. */
  draught: number | undefined = undefined;
  destination: string | undefined = undefined;
  /** Estimated time of arrival as `MM-DDTHH:MMZ` (no year in AIS), as gpsd prints it. */
  eta: string | undefined = undefined;
  /** Type 24 part: 0 = A (name), 1 = B (type, call sign, dimensions). */
  partNo: number | undefined = undefined;
  /** Type 21 aid-to-navigation type 0..31. */
  aidType: number | undefined = undefined;
  /** Type 21 aid name (with the name extension appended). */
  name: string | undefined = undefined;
  /** Type 9 altitude, metres (4095 = not available, 4094 = 4094 m or higher). */
  altitude: number | undefined = undefined;
  /** Receive time, milliseconds since the epoch (tag block `c:`, `$PGHP`, or a line time stamp). */
  receivedAt: number | undefined = undefined;
  /** Receiving station (tag block `s:`). */
  station: string | undefined = undefined;
  /**
   * Identity of the transmission: two independent 32-bit hashes of the payload bits. The same
   * message heard by several receivers has the same pair (dedupe across feeds).
   */
  payloadHash = 0;
  payloadCheck = 0;

  clear(): void {
    this.type = 0;
    this.mmsi = 0;
    this.navStatus = undefined;
    this.rot = undefined;
    this.sog = undefined;
    this.accuracy = undefined;
    this.lon = undefined;
    this.lat = undefined;
    this.cog = undefined;
    this.heading = undefined;
    this.second = undefined;
    this.imo = undefined;
    this.callSign = undefined;
    this.shipName = undefined;
    this.shipType = undefined;
    this.toBow = undefined;
    this.toStern = undefined;
    this.toPort = undefined;
    this.toStarboard = undefined;
    this.draught = undefined;
    this.destination = undefined;
    this.eta = undefined;
    this.partNo = undefined;
    this.aidType = undefined;
    this.name = undefined;
    this.altitude = undefined;
    this.receivedAt = undefined;
    this.station = undefined;
    this.payloadHash = 0;
    this.payloadCheck = 0;
  }
}
