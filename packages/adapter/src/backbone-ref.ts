import { type BackboneInfo, ConfigError } from '@kadapter/core';

/** What an adapter records about the backbone it was trained on. */
export interface BackboneRef {
  /** hub id ("roberta-large") or local directory name */
  name: string;
  hiddenSize: number;
  /** commit / revision of the weights, when known */
  revision?: string;
  /** transformer layers of the backbone (hidden states 0..numLayers), when known */
  numLayers?: number;
}

/** The reference an adapter records for a loaded backbone. */
export function backboneRef(info: BackboneInfo): BackboneRef {
  return {
    name: info.name,
    hiddenSize: info.hiddenSize,
    numLayers: info.numLayers,
    ...(info.revision !== undefined ? { revision: info.revision } : {}),
  };
}

export interface CompatibilityOptions {
  /** accept a backbone with another name (same hidden size); off by default */
  allowOtherName?: boolean;
}

/**
 * Refuses to run an adapter on a backbone other than the one it was trained on: every difference
 * (name, revision when both are known, hidden size, taps beyond the backbone depth) is named in
 * one ConfigError. `source` names the adapter (its directory) in the error.
 */
export function checkBackbone(
  trainedOn: BackboneRef,
  taps: readonly number[],
  backbone: BackboneInfo,
  source: string,
  options: CompatibilityOptions = {},
): void {
  const diffs: string[] = [];
  if (!options.allowOtherName && trainedOn.name !== backbone.name) {
    diffs.push(`name: adapter was trained on '${trainedOn.name}', backbone is '${backbone.name}'`);
  }
  if (trainedOn.revision !== undefined && backbone.revision !== undefined && trainedOn.revision !== backbone.revision) {
    diffs.push(`revision: adapter '${trainedOn.revision}', backbone '${backbone.revision}'`);
  }
  if (trainedOn.hiddenSize !== backbone.hiddenSize) {
    diffs.push(`hidden size: adapter ${trainedOn.hiddenSize}, backbone ${backbone.hiddenSize}`);
  }
  const beyond = taps.filter((t) => t > backbone.numLayers);
  if (beyond.length > 0) {
    diffs.push(`taps ${beyond.join(',')} are beyond the backbone depth (hidden states 0..${backbone.numLayers})`);
  }
  if (diffs.length > 0) {
    throw new ConfigError(`adapter does not fit this backbone: ${diffs.join('; ')}`, {
      file: source,
      field: 'backbone',
    });
  }
}
