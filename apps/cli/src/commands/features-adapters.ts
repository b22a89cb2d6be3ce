import { type KAdapterStack, loadAdapter } from '@kadapter/adapter';
import { type BackboneInfo, InputError } from '@kadapter/core';
import { type BackboneOutput, type NamedTensors } from '@kadapter/nn';

/** commander collector for the repeatable `--adapter name=<dir>` option. */
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
 * Loads the `--adapter name=<dir>` adapters, each checked against the backbone it will run on
 * (trained on another one, or taps beyond its depth: a typed error saying what differs).
 */
export async function loadAdapterOutputs(specs: readonly string[], backbone: BackboneInfo): Promise<AdapterOutputs> {
  const stacks = new Map<string, KAdapterStack>();
  try {
    for (const spec of specs) {
      const m = /^([A-Za-z0-9_-]+)=(.+)$/.exec(spec);
      if (!m) throw new InputError(`expected name=<adapter dir>, got '${spec}'`, { field: '--adapter' });
      const [, name, dir] = m as unknown as [string, string, string];
      if (stacks.has(name)) throw new InputError(`adapter name '${name}' is given twice`, { field: '--adapter' });
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
