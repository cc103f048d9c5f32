// The library name map (src/schedules/aliases.ts): every name resolves to what its entry says, in the
// library's convention, with the values that library computes; docs/conventions.md lists every name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { resolveSchedule, type PathSpec } from '../../src/cli/schedule-spec.js';
import { ALIASES, aliasName, ddpmLinear, findAlias, karrasSigmas } from '../../src/schedules/index.js';
import { captureOutput } from '../helpers/capture.js';

const io = captureOutput();
const DOC = readFileSync(new URL('../../docs/conventions.md', import.meta.url), 'utf8');

describe('library aliases', () => {
  it.each(ALIASES.map((a) => [aliasName(a), a] as const))('%s is in docs/conventions.md', (_name, a) => {
    expect(DOC).toMatch(new RegExp(`\\| ${a.library} \\| [^\\n]*\`${a.name}\``));
  });

  it.each(ALIASES.filter((a) => a.kind !== 'recipe').map((a) => [aliasName(a), a] as const))(
    '%s resolves to its schedule in the library convention',
    (name, a) => {
      const spec = resolveSchedule({ path: name });
      expect(spec?.kind).toBe(a.kind === 'custom' ? 'path' : a.kind);
      expect(spec?.convention).toBe(a.convention);
      expect(spec?.alias).toBe(name);
      if (a.kind === 'path') expect(spec?.label).toBe(`${name} = ${a.schedule}`);
    },
  );

  it('names are case-insensitive; recipes and unknown names are not resolved', () => {
    expect(findAlias('FLOW_MATCHING:cosine')?.name).toBe('Cosine');
    expect(findAlias('cosine')).toBeUndefined();
    expect(() => resolveSchedule({ path: 'flow_matching:Polynomial' })).toThrow(/not a built-in schedule/);
  });

  it("diffusers' zero-based timestep K is abar[K + 1] of the DDPM schedule", async () => {
    expect(await main(['schedules', '--path', 'diffusers:DDPM', '--timestep', '420', '--json'])).toBe(0);
    const row = JSON.parse(io.out).discrete[0];
    expect(row).toMatchObject({
      timestep: 420,
      indexing: 'zero-based',
      tIndex: 421,
      convention: 'diffusion',
    });
    expect(row.abar).toBe(ddpmLinear().abar(421));
  });

  it("diffusers' FlowMatchEuler: x = (1 - sigma) data + sigma noise, velocity noise - data", () => {
    const spec = resolveSchedule({ path: 'diffusers:FlowMatchEuler' }) as PathSpec;
    const p = spec.path;
    const got = [p.alpha(0.3), p.sigma(0.3), p.dAlpha(0.3), p.dSigma(0.3)];
    [0.7, 0.3, -1, 1].forEach((want, i) => expect(got[i]).toBeCloseTo(want, 15));
  });

  it("k-diffusion's karras: get_sigmas_karras with a final 0, on the edm path", () => {
    const spec = resolveSchedule({ path: 'k-diffusion:karras', 'num-steps': 5, rho: 3, 'sigma-max': 10 });
    expect(spec?.kind).toBe('karras');
    if (spec?.kind !== 'karras') return;
    expect(Array.from(spec.sigmas)).toEqual(Array.from(karrasSigmas(5, 0.002, 10, 3)));
    expect(spec.path.tMax).toBe(10);
  });

  it('an alias in another convention is translated: t -> 1 - t and the velocity sign', async () => {
    const at = async (args: string[]) => {
      io.out = '';
      expect(
        await main([
          'convert',
          '--from',
          'eps',
          '--to',
          'velocity',
          '--value',
          '0.5',
          '--x',
          '0.2',
          ...args,
          '--json',
        ]),
      ).toBe(0);
      return JSON.parse(io.out);
    };
    const flow = await at(['--path', 'flow_matching:VP', '--t', '0.3']);
    const diffusion = await at(['--path', 'flow_matching:VP', '--convention', 'diffusion', '--t', '0.7']);
    expect(flow.convention).toBe('flow');
    expect(diffusion.convention).toBe('diffusion');
    expect(diffusion.alpha).toBeCloseTo(flow.alpha, 15);
    expect(diffusion.result).toBeCloseTo(-flow.result, 14);
  });

  it('schedules --aliases prints every name, and --json the whole map', async () => {
    expect(await main(['schedules', '--aliases'])).toBe(0);
    for (const a of ALIASES) expect(io.out).toContain(aliasName(a));
    io.out = '';
    expect(await main(['schedules', '--aliases', '--json'])).toBe(0);
    const o = JSON.parse(io.out);
    expect(o.aliases).toHaveLength(ALIASES.length);
    expect(Object.keys(o.libraries)).toEqual(['flow_matching', 'diffusers', 'k-diffusion', 'score_sde']);
  });
});
