// Deliberate bugs an experiment can be run with, to show it catches them (the mutation checks).
// Each experiment declares which of these it supports through its `mutation` parameter.
export const MUTATIONS = {
  none: 'the correct formulas',
  'pf-ode-no-half': 'PF-ODE drift f x - g^2 score (the 1/2 dropped)',
  'score-scale-1.05': 'the score multiplied by 1.05',
  'sqrt-one-minus-abar': 'sqrt(1 - abar) = sigma where (1 - abar) = sigma^2 belongs',
  'swap-data-noise': 'the data and noise roles exchanged',
} as const;

export type Mutation = keyof typeof MUTATIONS;

export function mutationParam(supported: readonly Mutation[]) {
  const choices: readonly Mutation[] = ['none', ...supported];
  return {
    kind: 'choice' as const,
    choices,
    default: 'none',
    doc:
      'a deliberate bug to inject (mutation check): ' +
      supported.map((m) => `${m} = ${MUTATIONS[m]}`).join('; '),
  };
}
