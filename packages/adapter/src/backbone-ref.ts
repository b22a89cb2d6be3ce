import { type BackboneInfo, ConfigError } from '@kadapter/core';

/**
 * What an adapter (or a setup) records about the backbone it was trained on: its architecture and
 * the content hash of its weights, which decide compatibility, and where it came from (name, Hub
 * id, revision), which only inform. Files written before content hashes were recorded hold only
 * `name`, `hiddenSize`, `numLayers` and `revision` (`sha256:` + 16 hex digits of the weights for a
 * local directory, or the Hub commit).
 */
export interface BackboneRef {
  /** a label (Hub id, config `_name_or_path`, a given name or the directory name); never compared */
  name: string;
  /** `owner/name` when the backbone came from the Hugging Face Hub */
  hubId?: string;
  /** the Hub commit of the weights, when known */
  revision?: string;
  /** `sha256:` + hex SHA-256 of the weights */
  contentHash?: string;
  modelType?: BackboneInfo['modelType'];
  hiddenSize: number;
  /** transformer layers of the backbone (hidden states 0..numLayers) */
  numLayers?: number;
  numHeads?: number;
  vocabSize?: number;
  maxPositions?: number;
}

/** The reference an adapter records for a loaded backbone. */
export function backboneRef(info: BackboneInfo): BackboneRef {
  const optional = <K extends keyof BackboneInfo>(key: K) => (info[key] === undefined ? {} : { [key]: info[key] });
  return {
    name: info.name,
    ...optional('hubId'),
    ...optional('revision'),
    ...optional('contentHash'),
    modelType: info.modelType,
    hiddenSize: info.hiddenSize,
    numLayers: info.numLayers,
    numHeads: info.numHeads,
    vocabSize: info.vocabSize,
    maxPositions: info.maxPositions,
  };
}

/** How a recorded backbone compares with a loaded one. */
export interface BackboneComparison {
  /** real differences (architecture, weights), each `<what>: <side> <recorded>, backbone <actual>` */
  differences: string[];
  /**
   * When the weights could not be compared by content hash and the name or the Hub revision
   * differs: `a backbone named 'A' ..., this one is 'B' ...` (one line, for the caller to prefix).
   * Worth telling, never a reason to refuse.
   */
  notice?: string;
}

const ARCHITECTURE: Array<[keyof BackboneRef & keyof BackboneInfo, string]> = [
  ['modelType', 'model type'],
  ['hiddenSize', 'hidden size'],
  ['numLayers', 'layers'],
  ['numHeads', 'attention heads'],
  ['vocabSize', 'vocabulary'],
  ['maxPositions', 'positions'],
];

/**
 * Compares what `side` ('adapter', 'setup') recorded with the backbone it is about to run on:
 * each architecture field recorded on both sides, and the weights' content hashes when both are
 * known (an old file's `sha256:` revision counts as one, compared on its 16 digits). The name and
 * Hub revision never make a difference.
 */
export function compareBackbone(
  recorded: BackboneRef,
  backbone: BackboneInfo,
  side: string,
  options: { ignoreName?: boolean } = {},
): BackboneComparison {
  const differences: string[] = [];
  for (const [key, label] of ARCHITECTURE) {
    const want = recorded[key];
    const got = backbone[key];
    if (want !== undefined && got !== undefined && want !== got) {
      const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v));
      differences.push(`${label}: ${side} ${show(want)}, backbone ${show(got)}`);
    }
  }
  const wantHash = hashOf(recorded);
  const gotHash = hashOf(backbone);
  const sameWeights = wantHash !== undefined && gotHash !== undefined && sameHash(wantHash, gotHash);
  if (wantHash !== undefined && gotHash !== undefined && !sameWeights) {
    differences.push(`weights (SHA-256): ${side} ${wantHash}, backbone ${gotHash}`);
  }
  if (sameWeights || differences.length > 0) return { differences };
  const wantRev = commitOf(recorded);
  const gotRev = commitOf(backbone);
  const revisionDiffers = wantRev !== undefined && gotRev !== undefined && wantRev !== gotRev;
  if ((options.ignoreName || recorded.name === backbone.name) && !revisionDiffers) return { differences };
  const at = (name: string, rev: string | undefined) => `'${name}'${revisionDiffers ? ` at revision ${rev}` : ''}`;
  return {
    differences,
    notice: `a backbone named ${at(recorded.name, wantRev)}, this one is ${at(backbone.name, gotRev)}; the architecture matches, the weights could not be compared (one side records no content hash)`,
  };
}

export interface CompatibilityOptions {
  /** no notice when only the name differs (names are never a reason to refuse) */
  allowOtherName?: boolean;
  /** where a one-line notice goes (default: stderr, prefixed `kadapter: `) */
  log?: (line: string) => void;
}

/**
 * Refuses to run an adapter on a backbone other than the one it was trained on: every real
 * difference (architecture, weights, taps beyond the backbone depth) is named in one ConfigError.
 * A name or Hub revision difference the content hash cannot settle is one notice line through
 * `options.log`. `source` names the adapter (its directory).
 */
export function checkBackbone(
  trainedOn: BackboneRef,
  taps: readonly number[],
  backbone: BackboneInfo,
  source: string,
  options: CompatibilityOptions = {},
): void {
  const { differences, notice } = compareBackbone(trainedOn, backbone, 'adapter', {
    ignoreName: options.allowOtherName ?? false,
  });
  const beyond = taps.filter((t) => t > backbone.numLayers);
  if (beyond.length > 0) {
    differences.push(`taps ${beyond.join(',')} are beyond the backbone depth (hidden states 0..${backbone.numLayers})`);
  }
  if (differences.length > 0) {
    throw new ConfigError(`adapter does not fit this backbone: ${differences.join('; ')}`, {
      file: source,
      field: 'backbone',
    });
  }
  if (notice !== undefined) (options.log ?? stderrNotice)(`adapter ${source} was trained on ${notice}`);
}

/** Writes a notice line to stderr. */
export function stderrNotice(line: string): void {
  process.stderr.write(`kadapter: ${line}\n`);
}

/** The content hash, or an old file's `sha256:` revision. */
function hashOf(b: { contentHash?: string; revision?: string }): string | undefined {
  return b.contentHash ?? (b.revision?.startsWith('sha256:') ? b.revision : undefined);
}

/** The Hub revision (not an old file's content revision). */
function commitOf(b: { revision?: string }): string | undefined {
  return b.revision?.startsWith('sha256:') ? undefined : b.revision;
}

/** Equal, or one the 16+-digit prefix of the other (old files kept 16 hex digits). */
function sameHash(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return /^sha256:[0-9a-f]{16,}$/.test(short) && long.startsWith(short);
}
