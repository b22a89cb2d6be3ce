import { ADAPTER_CONFIG_FILE, ADAPTER_HUB_FILES } from '@kadapter/adapter';
import { isKAdapterError } from '@kadapter/core';
import { type HubSnapshotOptions, hubModelSnapshot, hubSnapshot } from '@kadapter/io';
import type { Command } from 'commander';
import { globalOptions } from '../globals.js';
import { jsonOption, printResult } from '../output.js';

interface DownloadOptions {
  revision?: string;
  cacheDir?: string;
  json?: boolean;
}

/**
 * `kadapter download <id>`: fetches a model (config.json, weights, tokenizer files) or an adapter
 * repo (adapter_config.json, adapter.safetensors, ...) into the Hugging Face cache shared with
 * Python, so later commands find it by id, offline too.
 */
export function registerDownload(program: Command): void {
  program
    .command('download')
    .description('fetch a model or adapter repo from the Hugging Face Hub into the Hugging Face cache')
    .argument('<id>', 'Hub repo id, e.g. FacebookAI/roberta-large')
    .option('--revision <rev>', 'branch, tag or commit (default: main)')
    .option(
      '--cache-dir <dir>',
      'cache directory (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)',
    )
    .addOption(jsonOption())
    .action(async (id: string, opts: DownloadOptions, cmd: Command) => {
      const options: HubSnapshotOptions = {
        ...(opts.revision === undefined ? {} : { revision: opts.revision }),
        ...(opts.cacheDir === undefined ? {} : { cacheDir: opts.cacheDir }),
        ...(globalOptions(cmd).quiet ? { progress: false } : {}),
      };
      // an adapter repo has adapter_config.json; anything else is fetched as a model
      const isAdapter = await hubSnapshot(id, { required: [ADAPTER_CONFIG_FILE] }, options).then(
        () => true,
        (err) => {
          if (isKAdapterError(err, 'E_NOT_FOUND')) return false;
          throw err;
        },
      );
      const snapshot = isAdapter
        ? await hubSnapshot(id, ADAPTER_HUB_FILES, options)
        : await hubModelSnapshot(id, options);
      printResult({ ...snapshot, kind: isAdapter ? 'adapter' : 'model' }, opts);
    });
}
