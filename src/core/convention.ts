// Time conventions (DESIGN section 3). A path declares its convention; `toDiffusionTime` is the one
// place where tau = 1 - t translates between them.

/** diffusion: t = 0 data, t = 1 noise. flow: t = 0 noise, t = 1 data. */
export type Convention = 'diffusion' | 'flow';

/** The diffusion-convention time of a time written in `from` convention (on [0, 1]). */
export function toDiffusionTime(t: number, from: Convention): number {
  return from === 'diffusion' ? t : 1 - t;
}

/** The time in `to` convention of a diffusion-convention time. */
export function fromDiffusionTime(t: number, to: Convention): number {
  return to === 'diffusion' ? t : 1 - t;
}
