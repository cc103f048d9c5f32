// Bug zoo, buggy: eps from v with the sign of the x term flipped (eps = alpha v - sigma x).
// Expected: conversion:vPredToEps fails.
import { alphasCumprod } from './lib-discrete.js';

export * from './ddim.js';

export const vPredToEps = (v: number, x: number, t: number) =>
  Math.sqrt(alphasCumprod[t]) * v - Math.sqrt(1 - alphasCumprod[t]) * x;
