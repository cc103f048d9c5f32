// Time conventions (DESIGN section 3). A path declares its convention; `toConvention` and `flipTime`
// (src/schedules/path.ts) are the one place where tau = 1 - t translates between them.

/** diffusion: t = 0 data, t = 1 noise. flow: t = 0 noise, t = 1 data. */
export type Convention = 'diffusion' | 'flow';
