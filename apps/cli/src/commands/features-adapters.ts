import { existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ADAPTER_CONFIG_FILE, ADAPTER_HUB_FILES, type KAdapterStack, loadAdapter } from '@kadapter/adapter';
import { type BackboneInfo, InputError } from '@kadapter/core';
import { hubSnapshot, isHubRepoId } from '@kadapter/io';
import type { BackboneOutput, NamedTensors } from '@kadapter/nn';

/** commander collector for the repeatable `--adapter name=<dir or Hub id>` option. */
export function collectAdapter(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adapters loaded for `kadapter features`, and the output tensors they add per batch. */
export interface AdapterOutputs {
  /**
   * `adapter.<name>` (stack output) and `adapter.<name>.layer.<i>` (each adapter layer's output)
   * for every adapter, from one batch's backbone output (which must hold every tap).
   */
  outputs(out: BackboneOutput): NamedTensors;
  dispose(): void;
}

/**
 * Loads the `--adapter name=<dir or Hub id>` adapters (an id that is not a directory here is
 * fetched through the Hugging Face cache), each checked against the backbone it will run on
 * (another architecture or other weights, or taps beyond its depth: a typed error saying what differs).
 */
export async function loadAdapterOutputs(specs: readonly string[], backbone: BackboneInfo): Promise<AdapterOutputs> {
  const stacks = new Map<string, KAdapterStack>();
  try {
    for (const spec of specs) {
      const m = /^([A-Za-z0-9_-]+)=(.+)$/.exec(spec);
      if (!m) throw new InputError(`expected name=<adapter dir>, got '${spec}'`, { field: '--adapter' });
      const [, name, source] = m as unknown as [string, string, string];
      if (stacks.has(name)) throw new InputError(`adapter name '${name}' is given twice`, { field: '--adapter' });
      const dir =
        existsSync(source) || !isHubRepoId(source) ? source : (await hubSnapshot(source, ADAPTER_HUB_FILES)).dir;
      await refuseOfficialCheckpoint(dir);
      stacks.set(name, (await loadAdapter(dir, { backbone, trainable: false })).stack);
    }
  } catch (err) {
    for (const s of stacks.values()) s.dispose();
    throw err;
  }
  return {
    outputs(out) {
      const named: NamedTensors = new Map();
      for (const [name, stack] of stacks) {
        const r = stack.apply(out, { collectLayers: true });
        named.set(`adapter.${name}`, r.output);
        r.layers?.forEach((layer, i) => {
          named.set(`adapter.${name}.layer.${i}`, layer);
        });
      }
      return named;
    },
    dispose() {
      for (const s of stacks.values()) s.dispose();
    },
  };
}

/** Official checkpoint file names (fac-adapter.py / lin-adapter.py save `pytorch_model.bin`). */
const OFFICIAL_CHECKPOINT = 'pytorch_model.bin';

/**
 * An official K-Adapter checkpoint (a `pytorch_model.bin`, or its directory without an
 * adapter_config.json) is not an adapter directory: say how to convert it.
 */
async function refuseOfficialCheckpoint(path: string): Promise<void> {
  const exists = (p: string) =>
    access(p).then(
      () => true,
      () => false,
    );
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  let checkpoint: string | undefined;
  if (isFile) checkpoint = path;
  else if (!(await exists(join(path, ADAPTER_CONFIG_FILE))) && (await exists(join(path, OFFICIAL_CHECKPOINT))))
    checkpoint = join(path, OFFICIAL_CHECKPOINT);
  if (checkpoint === undefined) return;
  throw new InputError(
    `${isFile ? 'a file, not an adapter directory' : `no ${ADAPTER_CONFIG_FILE}, but an official checkpoint`}: ` +
      `convert an official K-Adapter checkpoint first with \`kadapter import-official --checkpoint ${checkpoint} ` +
      '--backbone <model dir> --taps 0,11,22 --out <adapter dir>` and pass that directory',
    { file: path, field: '--adapter' },
  );
}
