// Loads the linguistic module by name (as `--knowledge linguistic` is resolved), encodes
// its bundled sample and prints the head it pre-trains. Run from this folder:
//   npx tsx --conditions=@kadapter/source examples/show.ts [tokenizer dir]
import { loadKnowledgeModule } from '@kadapter/core';
import { encodeFile } from '@kadapter/data-encode';
import { demoData } from '@kadapter/demo-data';
import { loadTokenizer } from '@kadapter/tokenizer';

const { module, source } = await loadKnowledgeModule('linguistic'); // from ./node_modules and its parents
const task = module.pretraining;
console.log(source, module.contractVersion, '-', module.description);
console.log('adapter defaults:', module.adapter);
console.log('task:', task.name, '| encoder:', task.encoder.name, '| metrics:', task.metrics.names.join(', '));
console.log('inputs:', JSON.stringify(task.inputs));
console.log('sample:', module.sample?.train, module.sample?.dev, module.sample?.license);

// the tiny random RoBERTa's tokenizer unless a real one is given (e.g. a roberta-large folder)
const tokenizer = await loadTokenizer(process.argv[2] ?? demoData.model);
const maxLen = module.maxLength ?? 64;
const train = await encodeFile({ task: task.encoder, input: module.sample!.train[0]!, tokenizer, maxLen });
console.log(`encoded: ${train.exampleIndex.length} of ${train.read} sentences kept, skipped:`, train.skipped);
console.log('head:', task.head({ hiddenSize: 1024, maxLength: maxLen }));
