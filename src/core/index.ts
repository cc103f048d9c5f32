export * from './errors.js';
export * from './verdict.js';
export * from './convention.js';
export * from './suggest.js';
export * from './citation.js';
