// Statistics for Monte-Carlo confirmation: everything here is pure and depends only on core.
export * from './holm.js';
