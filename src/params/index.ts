export * from './conversions.js';
