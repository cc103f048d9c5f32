// Bug zoo, buggy: the score from eps divides by sqrt(1 - alpha_t) with alpha_t = 1 - beta_t, where
// the product abar_t = prod (1 - beta_j) is meant (the Langevin-corrector pattern).
// Expected: conversion:epsToScore fails.
import { betas } from './lib-discrete.js';

export * from './ddim.js';

export const epsToScore = (eps: number, _x: number, t: number) => -eps / Math.sqrt(1 - (1 - betas[t]));
