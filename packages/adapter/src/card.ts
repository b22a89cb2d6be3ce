import type { AdapterMeta } from './meta.js';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, PRETRAINING_HEAD_FILE } from './meta.js';

/** The `README.md` card of an adapter directory: what it is, its backbone, taps, sizes, task, how to load it. */
export function adapterCard(meta: AdapterMeta, paramCount: number): string {
  const a = meta.adapter;
  const b = meta.backbone;
  const p = meta.pretraining;
  const lines = [
    `# K-Adapter knowledge adapter \`${meta.name}\``,
    '',
    `A K-Adapter adapter stack (Wang et al., "K-Adapter: Infusing Knowledge into Pre-Trained Models with Adapters"):`,
    `${a.taps.length} adapter layers beside a frozen backbone. Adapter layer k reads the backbone's hidden state`,
    `\`taps[k]\` plus the previous adapter layer's output, projects it down to ${a.adapterSize}, runs ${a.layers}`,
    `post-LN transformer layers and projects it back up, with a residual.`,
    '',
    '## Backbone',
    '',
    `- name: \`${b.name}\``,
    ...(b.hubId === undefined ? [] : [`- Hugging Face Hub: \`${b.hubId}\``]),
    `- revision: ${b.revision === undefined ? 'not recorded' : `\`${b.revision}\``}`,
    `- weights (SHA-256): ${b.contentHash === undefined ? 'not recorded' : `\`${b.contentHash}\``}`,
    ...(b.modelType === undefined ? [] : [`- model type: ${b.modelType}`]),
    `- hidden size: ${b.hiddenSize}`,
    ...(b.numLayers === undefined ? [] : [`- layers: ${b.numLayers}`]),
    ...(b.numHeads === undefined ? [] : [`- attention heads: ${b.numHeads}`]),
    ...(b.vocabSize === undefined ? [] : [`- vocabulary: ${b.vocabSize}`]),
    ...(b.maxPositions === undefined ? [] : [`- positions: ${b.maxPositions}`]),
    '',
    'Loading it on a backbone with another architecture or other weights (their SHA-256) is refused;',
    'a backbone with another name or in another folder, with the same weights, is accepted.',
    '',
    '## Adapter',
    '',
    '| field | value |',
    '|---|---|',
    `| taps (hidden-state indices, 0 = embeddings) | ${a.taps.join(', ')} |`,
    `| adapter size | ${a.adapterSize} |`,
    `| inner transformer layers | ${a.layers} |`,
    `| attention heads | ${a.heads} |`,
    `| intermediate size | ${a.intermediateSize} |`,
    `| LayerNorm eps | ${a.layerNormEps} |`,
    `| dropout | ${a.dropout} |`,
    `| skip | ${a.skip} |`,
    `| mask padding | ${a.maskPadding ? 'yes' : 'no (as the original: pads are attended to)'} |`,
    `| parameters | ${paramCount.toLocaleString('en-US')} |`,
    '',
    '## Pre-training',
    '',
    ...(p === undefined
      ? ['Not recorded.']
      : [
          `- task: \`${p.task}\`${p.description ? ` (${p.description})` : ''}`,
          `- labels: ${p.labels ? `${p.labels.length} (listed in ${ADAPTER_CONFIG_FILE})` : p.numLabels !== undefined ? `${p.numLabels} classes, unnamed` : 'not recorded'}`,
          `- pre-training head weights: ${p.headWeights ? `kept in \`${PRETRAINING_HEAD_FILE}\`` : 'not kept'}`,
        ]),
    ...(meta.provenance
      ? ['', '## Provenance', '', ...Object.entries(meta.provenance).map(([k, v]) => `- ${k}: ${v}`)]
      : []),
    '',
    '## Files',
    '',
    `- \`${ADAPTER_CONFIG_FILE}\`: configuration (schema version ${meta.schemaVersion})`,
    `- \`${ADAPTER_WEIGHTS_FILE}\`: the adapter tensors, official K-Adapter names (\`adapter.k.*\`), PyTorch layout`,
    ...(p?.headWeights ? [`- \`${PRETRAINING_HEAD_FILE}\`: the pre-training head tensors, official names`] : []),
    '',
    '## Load it',
    '',
    '```ts',
    "import { loadAdapter } from '@kadapter/adapter';",
    "import { loadBackbone } from '@kadapter/backbone';",
    '',
    `const backbone = await loadBackbone('${b.hubId ?? `<${b.name} model dir or Hub id>`}');`,
    "const { stack } = await loadAdapter('<this dir>', { backbone: backbone.info });",
    `const out = backbone.encode(input, { taps: [${a.taps.join(', ')}] });`,
    'const adapterOutput = stack.apply(out).output;',
    '```',
    '',
  ];
  return lines.join('\n');
}
