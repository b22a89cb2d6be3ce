// Loads the factual module by name (as `--knowledge factual` is resolved), encodes its
// bundled sample and prints the head it pre-trains. Run from this folder:
//   npx tsx --conditions=@kadapter/source examples/show.ts [tokenizer dir]
import { loadKnowledgeModule } from '@kadapter/core';
import { encodeFile } from '@kadapter/data-encode';
import { demoData } from '@kadapter/demo-data';
import { loadTokenizer } from '@kadapter/tokenizer';

const { module, source } = await loadKnowledgeModule('factual'); // from ./node_modules and its parents
const task = module.pretraining;
console.log(source, module.contractVersion, '-', module.description);
console.log('adapter defaults:', module.adapter);
console.log('task:', task.name, '| encoder:', task.encoder.name, '| metrics:', task.metrics.names.join(', '));
console.log('inputs:', JSON.stringify(task.inputs));
console.log('sample:', module.sample?.train, module.sample?.license);

// the tiny random RoBERTa's tokenizer unless a real one is given (e.g. a roberta-large folder)
const tokenizer = await loadTokenizer(process.argv[2] ?? demoData.model);
const maxLen = module.maxLength ?? 64;
const train = await encodeFile({ task: task.encoder, input: module.sample!.train[0]!, tokenizer, maxLen });
console.log(`encoded: ${train.exampleIndex.length} of ${train.read} examples kept, skipped:`, train.skipped);
const head = task.head({ hiddenSize: 1024, maxLength: maxLen, labels: train.labels });
console.log('head:', {
  ...head,
  labels: `${(head.labels as string[]).length} relations: ${(head.labels as string[]).slice(0, 3).join(', ')}, ...`,
});
