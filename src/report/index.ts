// Results as the reader sees them: the report model and its JSON schema (types.ts), evidence by kind
// (evidence.ts), and the terminal, JSON, JUnit and HTML writers, as the package entry's `report`
// namespace; plots are `report.plots`.
export * from './types.js';
export {
  byKind,
  counterexampleText,
  EVIDENCE_KINDS,
  evidenceFields,
  evidenceLine,
  GRADE_LABEL,
  printedPoint,
} from './evidence.js';
export { formatClaimLine, formatScanReport, formatVerifyReport } from './terminal.js';
export { toJson } from './json.js';
export { toJunit } from './junit.js';
export { renderHtmlReport } from './html.js';
export * as plots from './plots/index.js';
