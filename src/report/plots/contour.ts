// Iso-lines of a gridded function by marching squares, with saddle cells decided by the cell mean.

/** z[j][i] is the value at (x[i], y[j]); x and y increase. */
export interface Grid {
  x: number[];
  y: number[];
  z: number[][];
}

export type Segment = [[number, number], [number, number]];

/** The segments of the level set {z = level}, in data coordinates. */
export function contourSegments(grid: Grid, level: number): Segment[] {
  const { x, y, z } = grid;
  const out: Segment[] = [];
  for (let j = 0; j + 1 < y.length; j++) {
    for (let i = 0; i + 1 < x.length; i++) {
      // Corners counter-clockwise from bottom-left: (i,j) (i+1,j) (i+1,j+1) (i,j+1).
      const v = [z[j][i], z[j][i + 1], z[j + 1][i + 1], z[j + 1][i]];
      if (!v.every(Number.isFinite)) continue;
      const p: [number, number][] = [
        [x[i], y[j]],
        [x[i + 1], y[j]],
        [x[i + 1], y[j + 1]],
        [x[i], y[j + 1]],
      ];
      // The crossing point on each edge (edge k joins corner k and corner k+1) where the sign changes.
      const crossings: { edge: number; at: [number, number] }[] = [];
      for (let k = 0; k < 4; k++) {
        const a = v[k] - level;
        const b = v[(k + 1) % 4] - level;
        if (a >= 0 !== b >= 0) {
          const s = a / (a - b);
          const [pa, pb] = [p[k], p[(k + 1) % 4]];
          crossings.push({ edge: k, at: [pa[0] + s * (pb[0] - pa[0]), pa[1] + s * (pb[1] - pa[1])] });
        }
      }
      if (crossings.length === 2) {
        out.push([crossings[0].at, crossings[1].at]);
      } else if (crossings.length === 4) {
        // Saddle: if the centre is on the side of corner 0, corner 0's region connects across the cell,
        // so the lines cut off corners 1 and 3; otherwise they cut off corners 0 and 2.
        const centreHigh = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
        const corner0High = v[0] >= level;
        const [c0, c1, c2, c3] = crossings.map((c) => c.at);
        if (centreHigh === corner0High) out.push([c0, c1], [c2, c3]);
        else out.push([c3, c0], [c1, c2]);
      }
    }
  }
  return out;
}
