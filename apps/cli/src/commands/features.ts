import {
  type EncodedData,
  loadBackbone,
  POSITION_ID_MODES,
  type TransformerBackbone,
  validateEncodedData,
} from '@kadapter/backbone';
import { FormatError, InputError } from '@kadapter/core';
import { type BackboneOutput, type NamedTensors } from '@kadapter/nn';
import { createProgress } from '@kadapter/progress';
import { initBackend } from '@kadapter/nn/runtime';
import { isJsonObject, readJsonFile } from '@kadapter/files';
import { type RawTensor, saveSafetensors } from '@kadapter/io';
import { loadTokenizer } from '@kadapter/tokenizer';
import * as tf from '@tensorflow/tfjs';
import { type Command, Option } from 'commander';
import { collectAdapter, loadAdapterOutputs } from './features-adapters.js';
import { positiveInteger } from './options.js';

interface FeaturesOptions {
  backbone: string;
  out: string;
  input?: string;
  text?: string;
  tokenizer?: string;
  maxLength?: number;
  positionIds: 'legacy' | 'hf';
  batchSize: number;
  adapter: string[];
}

/**
 * One set of output tensors, computed from each batch's backbone output. Every tensor it returns
 * is [batch, ...] and is concatenated over the batches under its name; the command disposes them.
 * To add a set: add its option below and push its function in `outputSets`.
 */
type OutputSet = (out: BackboneOutput) => NamedTensors | Promise<NamedTensors>;

/** `hidden_states.<k>` for every k (0 = embedding output). */
const hiddenStateOutputs: OutputSet = (out) =>
  new Map(out.hiddenStates.map((h, k) => [`hidden_states.${k}`, h as tf.Tensor]));

/**
 * `kadapter features`: the backbone's hidden states for token ids (`--input` JSON) or text
 * (`--text`, one sequence per line, tokenised like the official code), written as one
 * safetensors file.
 */
export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('write the hidden states of a backbone (and adapters) for ids or text as safetensors')
    .requiredOption('--backbone <dir>', 'Hugging Face model directory (config.json + weights)')
    .requiredOption('--out <file>', 'safetensors file to write')
    .option('--input <file>', 'JSON {"input_ids": number[][], "attention_mask": number[][]}')
    .option('--text <lines>', 'text, one sequence per line (tokenised with <s> ... </s>, padded)')
    .option('--tokenizer <path>', 'tokenizer directory or tokenizer.json for --text (default: the backbone directory)')
    .option('--max-length <n>', 'pad --text sequences to this length (default: the longest)', positiveInteger)
    .addOption(
      new Option('--position-ids <mode>', 'RoBERTa position numbering: legacy (K-Adapter) or hf')
        .choices(POSITION_ID_MODES)
        .default('legacy'),
    )
    .option('--batch-size <n>', 'sequences per forward pass', positiveInteger, 8)
    .option(
      '--adapter <name=dir>',
      'also write adapter.<name> and adapter.<name>.layer.<i> of an adapter directory (repeatable)',
      collectAdapter,
      [],
    )
    .action(async (opts: FeaturesOptions) => {
      if ((opts.input === undefined) === (opts.text === undefined)) {
        throw new InputError('give exactly one of --input <file.json> and --text "..."', { field: '--input' });
      }
      await initBackend();
      const backbone = await loadBackbone(opts.backbone, { positionIds: opts.positionIds });
      const adapters = await loadAdapterOutputs(opts.adapter, backbone.info).catch((err) => {
        backbone.dispose();
        throw err;
      });
      try {
        const data = opts.input !== undefined ? await readIdsJson(opts.input) : await tokenizeText(opts);
        validateEncodedData(data, backbone.config, opts.input ?? '--text');
        const outputSets: OutputSet[] = [hiddenStateOutputs, adapters.outputs];
        const tensors = await computeOutputs(backbone, data, outputSets, opts.batchSize);
        await saveSafetensors(opts.out, tensors, {
          metadata: {
            backbone: backbone.info.name,
            revision: backbone.info.revision ?? '',
            position_ids: backbone.positionIdMode,
          },
        });
        process.stdout.write(
          `${JSON.stringify({
            out: opts.out,
            sequences: data.inputIds.length,
            length: data.inputIds[0]!.length,
            tensors: [...tensors.keys()],
          })}\n`,
        );
      } finally {
        adapters.dispose();
        backbone.dispose();
      }
    });
}

/** Runs the backbone batch by batch and concatenates every output set's tensors over the batches. */
async function computeOutputs(
  backbone: TransformerBackbone,
  data: EncodedData,
  sets: readonly OutputSet[],
  batchSize: number,
): Promise<Map<string, RawTensor>> {
  const total = data.inputIds.length;
  const chunks = new Map<string, { shape: number[]; parts: Float32Array[] }>();
  const progress = createProgress({ label: 'features', total, unit: 'seq' });
  try {
    for (let start = 0; start < total; start += batchSize) {
      const inputIds = tf.tensor2d(data.inputIds.slice(start, start + batchSize) as number[][], undefined, 'int32');
      const attentionMask = tf.tensor2d(
        data.attentionMask.slice(start, start + batchSize) as number[][],
        undefined,
        'int32',
      );
      const out = backbone.encode({ inputIds, attentionMask });
      // the backbone output is read by every set, so it is disposed only after the last one
      const shared = new Set<tf.Tensor>([...out.hiddenStates.filter((h) => h !== undefined), out.last, out.mask]);
      try {
        for (const set of sets) {
          const named = await set(out);
          for (const [name, t] of named) {
            const entry = chunks.get(name) ?? { shape: t.shape.slice(1), parts: [] };
            entry.parts.push(t.dataSync() as Float32Array);
            chunks.set(name, entry);
          }
          tf.dispose([...named.values()].filter((t) => !shared.has(t)));
        }
      } finally {
        tf.dispose([inputIds, attentionMask, ...shared]);
      }
      progress.tick(inputIds.shape[0]);
    }
  } finally {
    progress.stop();
  }
  const result = new Map<string, RawTensor>();
  for (const [name, { shape, parts }] of chunks) {
    const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      data.set(p, offset);
      offset += p.length;
    }
    result.set(name, { dtype: 'F32', shape: [total, ...shape], data });
  }
  return result;
}

/** Reads `{"input_ids": number[][], "attention_mask": number[][]}`; errors name the file and field. */
async function readIdsJson(file: string): Promise<EncodedData> {
  const obj = await readJsonFile(file);
  if (!isJsonObject(obj)) throw new FormatError('expected an object with "input_ids" and "attention_mask"', { file });
  for (const field of ['input_ids', 'attention_mask']) {
    if (!Array.isArray(obj[field]) || !(obj[field] as unknown[]).every(Array.isArray)) {
      throw new FormatError(`"${field}" must be an array of arrays of numbers`, { file, field });
    }
  }
  return { inputIds: obj.input_ids as number[][], attentionMask: obj.attention_mask as number[][] };
}

/**
 * Each line of --text becomes `<s> tokens </s>`, tokenised as the official (pytorch_transformers
 * 1.2) `tokenizer.encode(line, add_special_tokens=True)` did, right-padded with the pad id.
 */
async function tokenizeText(opts: FeaturesOptions): Promise<EncodedData> {
  const lines = (opts.text ?? '').split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const tokenizer = await loadTokenizer(opts.tokenizer ?? opts.backbone);
  const { bos, eos, pad } = tokenizer.special;
  const tokens = await tokenizer.tokenizeSegments(lines);
  const ids = tokens.map((t) => [bos.id, ...tokenizer.tokensToIds(t), eos.id]);
  const longest = Math.max(...ids.map((r) => r.length));
  const length = opts.maxLength ?? longest;
  ids.forEach((row, i) => {
    if (row.length > length) {
      throw new InputError(
        `line ${i + 1} has ${row.length} tokens with <s> and </s>, more than --max-length ${length}`,
        {
          field: '--text',
          line: i + 1,
        },
      );
    }
  });
  return {
    inputIds: ids.map((row) => [...row, ...new Array<number>(length - row.length).fill(pad.id)]),
    attentionMask: ids.map((row) => Array.from({ length }, (_, j) => (j < row.length ? 1 : 0))),
  };
}
