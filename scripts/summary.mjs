// Print vitest's JSON result as the one closing line CI readers understand: "Tests: N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} catch (err) {
  console.log(`Tests: 0 passed, 1 failed (no readable vitest result in ${file}: ${err.message})`);
  process.exitCode = 1;
}
