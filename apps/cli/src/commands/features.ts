import { forwardInBatches, loadBackbone, POSITION_ID_MODES, sequenceData } from '@kadapter/backbone';
import {
  type Backbone,
  type BackboneOutput,
  disposeBackboneOutput,
  type NamedTensors,
  type SequenceData,
} from '@kadapter/nn';
import { createProgress } from '@kadapter/progress';
import { type RawTensor, resolveModelSource, saveSafetensors } from '@kadapter/io';
import * as tf from '@tensorflow/tfjs';
import { type Command, Option } from 'commander';
import { globalOptions, initBackendFor } from '../globals.js';
import { prepareOutput } from '../out-path.js';
import { jsonOption, printResult } from '../output.js';
import { collectAdapter, loadAdapterOutputs } from './features-adapters.js';
import { checkFeaturesInput, type FeaturesInputOptions, readFeaturesInput } from './features-input.js';
import { positiveInteger } from './options.js';

interface FeaturesOptions extends FeaturesInputOptions {
  backboneName?: string;
  backboneRevision?: string;
  out: string;
  positionIds: 'legacy' | 'hf';
  batchSize: number;
  adapter: string[];
  json?: boolean;
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
 * `kadapter features`: the backbone's hidden states for token ids (`--input` JSON, rows padded to
 * one length) or text (`--text` / `--text-file`, one sequence per line, tokenised like the official
 * code), written as one safetensors file.
 */
export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('write the hidden states of a backbone (and adapters) for ids or text as safetensors')
    .requiredOption(
      '--backbone <dir|id>',
      'Hugging Face model directory (config.json + weights), or a Hub id (owner/name) read through the Hugging Face cache',
    )
    .option(
      '--backbone-name <label>',
      'label recorded for the backbone (default: Hub id, config _name_or_path, dir name)',
    )
    .option('--backbone-revision <rev>', 'branch, tag or commit of a Hub id (default: main)')
    .requiredOption('--out <file>', 'safetensors file to write')
    .option(
      '--input <file>',
      'JSON {"input_ids": number[][], "attention_mask"?: number[][]}: rows of any length, padded with the config pad_token_id; the mask defaults to ones',
    )
    .option('--text <lines>', 'text, one sequence per line (tokenised with <s> ... </s>, padded)')
    .option('--text-file <file>', 'like --text, read from a file (one sequence per line)')
    .option(
      '--tokenizer <path>',
      "tokenizer directory or tokenizer.json for --text/--text-file (default: the backbone's)",
    )
    .option('--max-length <n>', 'pad the sequences to this length (default: the longest)', positiveInteger)
    .addOption(
      new Option('--position-ids <mode>', 'RoBERTa position numbering: legacy (K-Adapter) or hf')
        .choices(POSITION_ID_MODES)
        .default('legacy'),
    )
    .option('--batch-size <n>', 'sequences per forward pass', positiveInteger, 8)
    .option(
      '--adapter <name=dir>',
      'also write adapter.<name> and adapter.<name>.layer.<i> of an adapter directory or Hub id (repeatable)',
      collectAdapter,
      [],
    )
    .addOption(jsonOption())
    .action(async (opts: FeaturesOptions, cmd: Command) => {
      checkFeaturesInput(opts);
      await prepareOutput(opts.out);
      await initBackendFor(cmd);
      const source = await resolveModelSource(opts.backbone, {
        ...(opts.backboneRevision === undefined ? {} : { revision: opts.backboneRevision }),
      });
      const backbone = await loadBackbone(source.dir, {
        positionIds: opts.positionIds,
        ...(opts.backboneName === undefined ? {} : { name: opts.backboneName }),
      });
      const adapters = await loadAdapterOutputs(opts.adapter, backbone.info).catch((err) => {
        backbone.dispose();
        throw err;
      });
      try {
        const data = await readFeaturesInput({ ...opts, backbone: source.dir }, backbone.config.padTokenId);
        const inputName = opts.input ?? opts.textFile ?? '--text';
        const sequences = sequenceData(data, inputName);
        backbone.validateInput(sequences, inputName);
        const outputSets: OutputSet[] = [hiddenStateOutputs, adapters.outputs];
        const tensors = await computeOutputs(backbone, sequences, outputSets, opts.batchSize, globalOptions(cmd).quiet);
        await saveSafetensors(opts.out, tensors, {
          metadata: {
            backbone: backbone.info.name,
            revision: backbone.info.revision ?? '',
            content_hash: backbone.info.contentHash ?? '',
            position_ids: backbone.positionIdMode,
          },
        });
        printResult(
          {
            out: opts.out,
            sequences: data.inputIds.length,
            length: data.inputIds[0]!.length,
            tensors: [...tensors.keys()],
          },
          opts,
        );
      } finally {
        adapters.dispose();
        backbone.dispose();
      }
    });
}

/** Runs the backbone batch by batch and concatenates every output set's tensors over the batches. */
async function computeOutputs(
  backbone: Backbone,
  data: SequenceData,
  sets: readonly OutputSet[],
  batchSize: number,
  quiet: boolean,
): Promise<Map<string, RawTensor>> {
  const total = data.inputIds.shape[0] as number;
  const chunks = new Map<string, { shape: number[]; parts: Float32Array[] }>();
  const progress = createProgress({ label: 'features', total, unit: 'seq', silent: quiet });
  try {
    for (const { output: out } of forwardInBatches(backbone, data, { batchSize, progress })) {
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
        disposeBackboneOutput(out);
      }
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
