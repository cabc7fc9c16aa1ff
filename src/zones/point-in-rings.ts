/**
 * Exact point-in-polygon over one polygon's rings (outer ring, then holes), even-odd rule,
 * boundary included. This is Hao et al.'s algorithm ("Optimal Reliable Point-in-Polygon Test and
 * Differential Coding Boolean Operations on Polygons", Symmetry 2018) as
 * @turf/boolean-point-in-polygon 7 runs it (package point-in-polygon-hao), so small zones answer
 * exactly as turf does; the orientation is the plain floating-point one where turf calls
 * robust-predicates' `orient2d`, which only differs for points within rounding of an edge.
 *
 * Each ring is flat and closed: `[lon0, lat0, lon1, lat1, ..., lon0, lat0]`.
 */
export function ringsContain(rings: readonly Float64Array[], x: number, y: number): boolean {
  let crossings = 0;
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r]!;
    const end = ring.length;
    let u1 = ring[0]! - x;
    let v1 = ring[1]! - y;
    for (let i = 2; i < end; i += 2) {
      const u2 = ring[i]! - x;
      const v2 = ring[i + 1]! - y;
      if (v1 === 0 && v2 === 0) {
        // A horizontal edge on the ray's line: only the boundary case matters.
        if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return true;
      } else if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
        const f = u2 * v1 - u1 * v2;
        if (f === 0) return true;
        if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) crossings++;
      }
      u1 = u2;
      v1 = v2;
    }
  }
  return (crossings & 1) === 1;
}

/** The vertex count of flat rings, closing positions not counted. */
export function vertexCount(rings: readonly Float64Array[]): number {
  let count = 0;
  for (const ring of rings) count += ring.length / 2 - 1;
  return count;
}
