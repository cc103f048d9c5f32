// The claim pipeline: which claims (files.ts), checking them (claims.ts), the verification report
// (run.ts), scanning papers (scan.ts, scan-file.ts), reading a user's text files (text-file.ts).
export { checkClaim, combine, deriveSeed, matchesExpectation, type CheckSettings } from './claims.js';
export { BUILTIN_DERIVATIONS, derivationFiles, loadClaims, loadDerivation, selectClaims } from './files.js';
export {
  DEFAULT_SEED,
  summarizeClaims,
  toolVersion,
  verifyClaims,
  verifyFile,
  type VerifyOptions,
} from './run.js';
export { scanText, type ScanResult, type ScanSettings } from './scan.js';
export { MAX_SCAN_BYTES, scanFile, scanFiles, type ScanFileOptions } from './scan-file.js';
export { readTextFile } from './text-file.js';
