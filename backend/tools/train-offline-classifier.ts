import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainedWeightsSource } from './offline-training';

/**
 * Writes backend/src/stages/classify/offline-weights.ts from the labelled sets
 * (`npx tsx backend/tools/train-offline-classifier.ts`). Deterministic: the same fixtures give the
 * same file, and backend/test/model/offline-weights.test.ts fails when the checked-in one differs.
 */
export const WEIGHTS_FILE = join(__dirname, '../src/stages/classify/offline-weights.ts');

if (require.main === module) {
  const source = trainedWeightsSource();
  writeFileSync(WEIGHTS_FILE, source);
  console.log(`wrote ${WEIGHTS_FILE} (${(Buffer.byteLength(source) / 1024).toFixed(1)} KB)`);
}
