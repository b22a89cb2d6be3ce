import { importOfficialAdapter } from '@kadapter/adapter';
import { readBackboneInfo } from '@kadapter/backbone';
import { OFFICIAL_TREX_RELATIONS } from '@kadapter/data-trex';
import { ConfigError, FormatError, InputError, isKAdapterError } from '@kadapter/core';
import { parseJson, readTextFile } from '@kadapter/files';
import type { Command } from 'commander';
import { initBackendFor } from '../globals.js';
import { prepareOutput } from '../out-path.js';
import { jsonOption, printResult } from '../output.js';
import { positiveInteger } from './options.js';

interface ImportOptions {
  checkpoint: string;
  backbone: string;
  backboneName?: string;
  taps: string;
  out: string;
  heads: number;
  name?: string;
  labels?: string;
  overwrite?: boolean;
  json?: boolean;
}

/**
 * `kadapter import-official`: an official fac/lin adapter checkpoint (pytorch_model.bin, zip or
 * legacy pickle) → an adapter directory (adapter_config.json, adapter.safetensors, the
 * pre-training head, README.md card).
 */
export function registerImportOfficial(program: Command): void {
  program
    .command('import-official')
    .description('convert an official K-Adapter fac/lin checkpoint into a verified adapter directory')
    .requiredOption(
      '--checkpoint <file>',
      'pytorch_model.bin of fac-adapter.py or lin-adapter.py (zip or legacy pickle)',
    )
    .requiredOption(
      '--backbone <dir|id>',
      'the backbone the adapter was trained on: Hugging Face model directory, or Hub id (e.g. FacebookAI/roberta-large)',
    )
    .option(
      '--backbone-name <label>',
      'label recorded for the backbone (default: Hub id, config _name_or_path, dir name)',
    )
    .requiredOption('--taps <list>', 'hidden-state indices the adapter layers read, e.g. 0,11,22 (0 = embeddings)')
    .requiredOption('--out <dir>', 'adapter directory to write')
    .option(
      '--heads <n>',
      'attention heads of the adapter layers (checkpoints do not record it; the released adapters use 12)',
      positiveInteger,
      12,
    )
    .option('--name <name>', 'adapter name (default: the detected task, fac or lin)')
    .option(
      '--labels <file>',
      'pre-training class names: a JSON array, or one per line (default for a 410-class fac head: the official T-REx relations)',
    )
    .option('--overwrite', 'replace an existing output directory')
    .addOption(jsonOption())
    .action(async (opts: ImportOptions, cmd: Command) => {
      const taps = parseIntList(opts.taps, '--taps');
      await prepareOutput(opts.out, { directory: true, overwrite: opts.overwrite === true });
      const labels = opts.labels === undefined ? undefined : await readLabels(opts.labels);
      await initBackendFor(cmd);
      const info = await readBackboneInfo(opts.backbone, {
        ...(opts.backboneName === undefined ? {} : { name: opts.backboneName }),
      });
      const r = await importOfficialAdapter(opts.checkpoint, opts.out, {
        backbone: info,
        taps,
        heads: opts.heads,
        ...(opts.name === undefined ? {} : { name: opts.name }),
        ...(labels === undefined ? {} : { labels }),
        defaultLabels: (task, n) =>
          task === 'fac' && n === OFFICIAL_TREX_RELATIONS.length ? [...OFFICIAL_TREX_RELATIONS] : undefined,
        ...(opts.overwrite ? { overwrite: true } : {}),
      }).catch((err: unknown) => {
        throw cmd.getOptionValueSource('heads') === 'default' ? headsHint(err) : err;
      });
      printResult(
        {
          out: opts.out,
          name: r.meta.name,
          task: r.meta.pretraining?.task,
          format: r.format,
          adapterTensors: r.adapterTensors,
          headTensors: r.headTensors,
          backbone: r.meta.backbone,
          adapter: r.meta.adapter,
        },
        opts,
      );
    });
}

/** A head count the default --heads 12 gets wrong: say that the flag sets it. */
function headsHint(err: unknown): unknown {
  if (!isKAdapterError(err, 'E_CONFIG') || err.location.field !== 'heads') return err;
  return new ConfigError(
    `${err.message}; the checkpoint does not record its attention heads and 12 is only the default: ` +
      'pass --heads <n> with n dividing the adapter size',
    { cause: err },
  );
}

function parseIntList(text: string, field: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) {
    throw new InputError(`expected comma-separated non-negative integers, got '${text}'`, { field });
  }
  return parts.map(Number);
}

async function readLabels(file: string): Promise<string[]> {
  const text = await readTextFile(file);
  if (text.trimStart().startsWith('[')) {
    const value = parseJson(text, file);
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw new FormatError('expected a JSON array of strings', { file });
    }
    return value;
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
