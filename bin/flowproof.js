#!/usr/bin/env node
// Entry point: the compiled CLI (built by `npm run build`, run automatically by `npm ci`/`npm install`).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
