import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError, NotFoundError } from '@kadapter/core';
import { readTrexManifest } from '@kadapter/data-trex';
import { readLabelList } from '../labels/label-file.js';
import type { InputRecord } from '@kadapter/core';
import { readRecords } from './records.js';

/** The splits of a dataset directory. */
export type DatasetSplitName = 'train' | 'dev';

export const DATASET_SPLITS: readonly DatasetSplitName[] = ['train', 'dev'];

/** One split of a dataset directory: its files in order, and what the directory says about them. */
export interface DatasetSplit {
  dir: string;
  split: DatasetSplitName;
  /** the task whose official format the records are in (a trex-rc dataset: `trex`) */
  task: 'trex';
  /** the split's files, read in this order */
  files: string[];
  /** number of examples, when a manifest records it */
  examples?: number;
  /** the dataset's label list (index = id), when training uses it */
  labels?: string[];
}

/** True when `path` is a directory (a dataset) rather than a file. */
export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Opens one split of a trex-rc dataset directory:
 * - built by `build-data trex` (`manifest.json`): every shard of the split in manifest order, the
 *   example count, and `relations.json` as the label list (checked against the manifest's labels);
 * - released (`<split>.json`, a JSON array): that file; no label list, since the official training
 *   indexes the hard-coded 410 relations and never reads the released `relations.json`.
 */
export async function openDatasetSplit(dir: string, split: DatasetSplitName): Promise<DatasetSplit> {
  if (await exists(join(dir, 'manifest.json'))) {
    const manifest = await readTrexManifest(dir);
    const info = manifest.splits?.[split];
    if (!info || !Array.isArray(info.shards))
      throw new FormatError(`no "${split}" split with shards`, { file: join(dir, 'manifest.json'), field: 'splits' });
    const relationsFile = join(dir, 'relations.json');
    const labels = await readLabelList(relationsFile);
    if (JSON.stringify(labels) !== JSON.stringify(manifest.labels))
      throw new FormatError("the relations differ from the manifest's labels (a file from another build?)", {
        file: relationsFile,
      });
    return {
      dir,
      split,
      task: 'trex',
      files: info.shards.map((s) => join(dir, s.file)),
      examples: info.examples,
      labels,
    };
  }
  const released = join(dir, `${split}.json`);
  if (await exists(released)) return { dir, split, task: 'trex', files: [released] };
  throw new NotFoundError(`not a dataset directory: neither manifest.json (build-data trex) nor ${split}.json`, {
    file: dir,
  });
}

/** Streams the records of a split over all its files; `index` counts across the files. */
export async function* readDatasetRecords(split: DatasetSplit): AsyncGenerator<InputRecord> {
  let index = 0;
  for (const file of split.files) {
    for await (const record of readRecords(file)) yield { ...record, index: index++ };
  }
}
