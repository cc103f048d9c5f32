// Bug zoo, buggy: x0 = (x - (1 - abar) eps) / sqrt(abar), a missing square root on 1 - abar.
// Expected: conversion:epsToData fails.
import { alphasCumprod } from './lib-discrete.js';

export * from './ddim.js';

export const epsToData = (eps: number, x: number, t: number) =>
  (x - (1 - alphasCumprod[t]) * eps) / Math.sqrt(alphasCumprod[t]);
