// Statistics for Monte-Carlo confirmation: everything here is pure and depends only on core.
export * from './accumulators.js';
export * from './distributions.js';
export * from './holm.js';
export * from './intervals.js';
export * from './ks.js';
export * from './orderFit.js';
export * from './outcome.js';
export * from './twoSample.js';
export * from './ztest.js';
