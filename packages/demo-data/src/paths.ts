import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the installed @kadapter/demo-data package (works from src/ and dist/). */
export const DEMO_DATA_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where each part of the demo data lives. */
export const demoData = {
  /** Hugging Face model directory of the tiny random RoBERTa (config.json, model.safetensors, tokenizer.json) */
  model: join(DEMO_DATA_ROOT, 'model'),
  /** the name the tiny backbone goes by in adapter and setup files */
  modelName: 'kadapter-tiny',
  /** raw T-REx documents (JSON array), CC BY-SA 4.0 */
  trexSample: join(DEMO_DATA_ROOT, 'trex', 'sample-output.json'),
  /** first 200 sentences of UD English EWT dev (CoNLL-U), CC BY-SA 4.0 */
  udEwt: join(DEMO_DATA_ROOT, 'ud-english-ewt', 'en_ewt-ud-dev.first200.conllu'),
  /** first 100 questions of CosmosQA valid.csv, CC BY 4.0 */
  cosmosqa: join(DEMO_DATA_ROOT, 'cosmosqa', 'valid.first100.csv'),
} as const;
