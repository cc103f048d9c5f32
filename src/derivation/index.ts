// Reading LaTeX: derivation files (file.ts), papers as their authors wrote them (extract.ts, paper.ts),
// and single formulas (parser.ts), as the package entry's `derivation` namespace.
export {
  MAX_FILE_BYTES,
  readDeclarations,
  readDerivation,
  type Claim,
  type Expectation,
  type ExperimentCall,
  type LetSpec,
  type SourceRef,
  type Step,
  type SymbolSpec,
} from './file.js';
export { extractDisplayMath, readDocument, sourceKind, type MathPiece, type SourceKind } from './extract.js';
export {
  readPaper,
  type PaperOptions,
  type PaperStatement,
  type PaperStep,
  type ReadPaper,
  type StatementRole,
} from './paper.js';
export { parseDisplay, parseExpression, type ParsedMath, type ParseOptions } from './parser.js';
export { declare, lowerStep, type LoweredStep } from './scope.js';
