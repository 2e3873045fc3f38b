// Prints vitest's totals as one plain closing line ("N passed, N failed, N skipped"),
// the form CI reads, from the JSON report vitest writes next to its normal output.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
