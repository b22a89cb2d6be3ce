import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, type EncodeContext, type InputRecord, type TaskEncoder } from '@kadapter/core';
import { getEncoder } from '@kadapter/data-encode';
import { OFFICIAL_TREX_RELATIONS, readTrexManifest } from '@kadapter/data-trex';

/**
 * The relation labels the factual module classifies into:
 * - `official` (default): the 410 `trex_relations` of the official utils_glue.py, in their order,
 *   so that official fac-adapter checkpoints (out_proj [410, H]) and their class ids fit;
 * - `dataset`: the label list of the data itself, as `kadapter build-data trex` derived it (its
 *   manifest; `encodeFile` on a build-data directory passes it as the encoder option `labels`);
 * - a list of relation ids (index = class id).
 */
export type RelationLabels = 'official' | 'dataset' | readonly string[];

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((label, i) => label === b[i]);

function fixedList(choice: RelationLabels): readonly string[] | undefined {
  if (choice === 'official') return OFFICIAL_TREX_RELATIONS;
  if (choice === 'dataset') return undefined;
  if (!Array.isArray(choice) || choice.length === 0 || new Set(choice).size !== choice.length)
    throw new ConfigError('the relation label list must be non-empty and without duplicates', { field: 'labels' });
  return choice;
}

/**
 * The label list of a `build-data trex` dataset, found from where its records are: the
 * `manifest.json` beside the first record's file (the shards lie beside it).
 */
async function labelsBesideRecords(records: () => AsyncIterable<InputRecord>): Promise<string[]> {
  for await (const record of records()) {
    const dir = dirname(record.where.file);
    const found = await access(join(dir, 'manifest.json')).then(
      () => true,
      () => false,
    );
    if (!found) {
      throw new ConfigError(
        "relation labels 'dataset' take the label list of data built by `kadapter build-data trex`, and there is no manifest.json beside it: give the build directory, or use the official labels",
        { file: record.where.file, field: 'labels' },
      );
    }
    return (await readTrexManifest(dir)).labels;
  }
  throw new ConfigError("relation labels 'dataset': the data holds no records to find its dataset from", {
    field: 'labels',
  });
}

/**
 * The T-REx encoder of @kadapter/data-encode (`trex`, the official features) with its label list
 * fixed by `choice`. With a fixed list, an encoder option `labels` that differs from it (the
 * relations.json of a dataset built with derived labels) is refused rather than silently used:
 * class ids would not match the checkpoint's. With `dataset`, `prepare` takes the options' `labels`,
 * else the manifest beside the records.
 */
export function trexTaskEncoder(choice: RelationLabels = 'official'): TaskEncoder {
  const trex = getEncoder('trex');
  const fixed = fixedList(choice);
  const labelsOf = (ctx: EncodeContext): readonly string[] => {
    const given = ctx.options.labels;
    if (fixed === undefined) {
      if (given === undefined)
        throw new ConfigError(
          "relation labels 'dataset': no label list yet (run the encoder's prepare(), or give the encoder option labels)",
          { field: 'labels' },
        );
      return given;
    }
    if (given !== undefined && given !== fixed && !sameList(given, fixed)) {
      throw new ConfigError(
        `the factual module classifies into ${choice === 'official' ? 'the official 410 T-REx relations' : `its ${fixed.length} relations`}, but the data comes with another label list of ${given.length} (a build-data directory built with derived relations?): rebuild it with --relations official, or use createFactualModule({ labels: 'dataset' })`,
        { field: 'labels' },
      );
    }
    return fixed;
  };
  const pinned = new WeakMap<EncodeContext, EncodeContext>();
  const withLabels = (ctx: EncodeContext): EncodeContext => {
    let own = pinned.get(ctx);
    if (!own) {
      own = { ...ctx, options: { ...ctx.options, labels: labelsOf(ctx) } };
      pinned.set(ctx, own);
    }
    return own;
  };
  return {
    ...trex,
    labelNames: labelsOf,
    async prepare(records, ctx) {
      const options = trex.prepare ? await trex.prepare(records, ctx) : ctx.options;
      if (fixed === undefined && options.labels === undefined)
        return { ...options, labels: await labelsBesideRecords(records) };
      return { ...options, labels: labelsOf({ ...ctx, options }) };
    },
    build: (example, tokens, ctx, record) => trex.build(example, tokens, withLabels(ctx), record),
  };
}
