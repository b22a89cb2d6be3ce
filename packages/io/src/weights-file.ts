import { FormatError } from '@kadapter/core';
import type * as tf from '@tensorflow/tfjs';
import { SafetensorsFile } from './safetensors-read.js';
import { readHead } from './read-only-file.js';
import { TorchCheckpoint } from './torch-checkpoint.js';
import { readAllTensors, type TensorSource, withSource } from './tensor-source.js';

export type WeightsFormat = 'safetensors' | 'torch-zip' | 'torch-legacy';

/** Tells the format of a weights file from its first bytes (the extension is not trusted). */
export async function detectWeightsFormat(path: string): Promise<WeightsFormat> {
  const head = await readHead(path, 9);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'torch-zip';
  if (head[0] === 0x80) return 'torch-legacy';
  if (head.byteLength === 9 && head[8] === 0x7b) return 'safetensors';
  throw new FormatError('not a safetensors file or a PyTorch checkpoint (unrecognised first bytes)', {
    file: path,
    offset: 0,
  });
}

/** Opens a safetensors file or a PyTorch checkpoint (zip or legacy) for reading tensor by tensor. */
export async function openWeights(path: string): Promise<TensorSource> {
  const format = await detectWeightsFormat(path);
  return format === 'safetensors' ? SafetensorsFile.open(path) : TorchCheckpoint.open(path);
}

/** Loads every tensor (or those `filter` accepts) of a safetensors file or PyTorch checkpoint as tfjs tensors. */
export async function loadWeights(
  path: string,
  filter: (name: string) => boolean = () => true,
): Promise<Map<string, tf.Tensor>> {
  return withSource(
    () => openWeights(path),
    (source) => readAllTensors(source, filter),
  );
}
