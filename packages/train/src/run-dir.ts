import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, FormatError, NotFoundError } from '@kadapter/core';
import { readJsonFile, writeDirectoryAtomic, writeFileAtomic } from '@kadapter/files';
import { loadSafetensors, saveSafetensors } from '@kadapter/io';
import type * as tf from '@tensorflow/tfjs';
import type { RngState } from './rng.js';
import type { BestResult, TrainCheckpoint, TrainPosition } from './trainer.js';

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
const CHECKPOINTS = 'checkpoints';
const PARAMS_FILE = 'params.safetensors';
const OPTIMIZER_FILE = 'optimizer.safetensors';
const STATE_FILE = 'state.json';

/** What `run.json` holds: what ran, with which arguments, on what. */
export interface RunRecord {
  format: 'kadapter-run';
  /** e.g. "pretrain", "finetune" */
  kind: string;
  created: string;
  /**
   * Every argument that changes the result (data, seed, schedule, sizes...): a resume with another
   * value of any of them is refused, naming it.
   */
  settings: Record<string, unknown>;
  /** other context (versions, backend, data hashes, arguments that do not change the result) */
  context: Record<string, unknown>;
}

interface CheckpointState {
  position: TrainPosition;
  rng: RngState;
  optimizerStep: number;
  best?: BestResult;
}

/**
 * A run directory: `run.json`, `metrics.jsonl` (one JSON object per line), `checkpoints/step-<n>/`
 * (parameters, optimizer moments, position and random state; each written atomically) and
 * `checkpoints/best/` (the parameters at the best evaluation). A directory that holds anything
 * else, or another run, is refused; a resumed run must have the same settings.
 */
export class RunDir {
  private constructor(
    readonly dir: string,
    readonly record: RunRecord,
  ) {}

  /**
   * Starts a run in `dir` (created; it must be absent or empty), or with `resume` continues the run
   * it holds: its `run.json` must exist and record the same settings (the first difference is a
   * ConfigError naming the setting). Nothing is written when refused.
   */
  static async open(
    dir: string,
    run: { kind: string; settings: Record<string, unknown>; context: Record<string, unknown> },
    options: { resume?: boolean } = {},
  ): Promise<RunDir> {
    const file = join(dir, RUN_FILE);
    const entries = existsSync(dir) ? await readdir(dir) : [];
    if (options.resume) {
      if (!existsSync(file)) {
        throw new NotFoundError(`nothing to resume: ${dir} holds no run (no ${RUN_FILE})`, { file: dir });
      }
      const record = (await readJsonFile(file)) as RunRecord;
      if (record?.format !== 'kadapter-run' || typeof record.settings !== 'object') {
        throw new FormatError(`not a kadapter run record`, { file });
      }
      if (record.kind !== run.kind) {
        throw new ConfigError(`the run in ${dir} is a '${record.kind}' run, not '${run.kind}'`, {
          file,
          field: 'kind',
        });
      }
      const diff = firstDifference(record.settings, run.settings);
      if (diff !== undefined) {
        throw new ConfigError(
          `--resume with another ${diff.name} would change the result: the run has ${JSON.stringify(diff.before)}, now ${JSON.stringify(diff.now)}`,
          { file, field: diff.name },
        );
      }
      return new RunDir(dir, record);
    }
    if (entries.length > 0) {
      const what = entries.includes(RUN_FILE) ? 'holds another run (use --resume to continue it)' : 'is not empty';
      throw new ConfigError(`the output directory ${what}; choose another --out`, { file: dir });
    }
    const record: RunRecord = {
      format: 'kadapter-run',
      kind: run.kind,
      created: new Date().toISOString(),
      settings: run.settings,
      context: run.context,
    };
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    return new RunDir(dir, record);
  }

  /** Appends one JSON object to metrics.jsonl. */
  async log(entry: Record<string, unknown>): Promise<void> {
    await appendFile(join(this.dir, METRICS_FILE), `${JSON.stringify(entry)}\n`);
  }

  /** Drops metrics lines of updates after `step` (what a resumed run will write again). */
  async truncateMetrics(step: number): Promise<void> {
    const file = join(this.dir, METRICS_FILE);
    if (!existsSync(file)) return;
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const kept = lines.filter((l) => {
      try {
        const s = (JSON.parse(l) as { step?: unknown }).step;
        return typeof s !== 'number' || s <= step;
      } catch {
        return false; // a line cut by a kill is dropped
      }
    });
    await writeFileAtomic(file, kept.length > 0 ? `${kept.join('\n')}\n` : '');
  }

  /** Writes `checkpoints/step-<n>/` atomically and keeps the newest `keep` periodic checkpoints. */
  async saveCheckpoint(c: TrainCheckpoint, keep = 2): Promise<string> {
    const name = `step-${String(c.position.step).padStart(6, '0')}`;
    const target = join(this.dir, CHECKPOINTS, name);
    await mkdir(join(this.dir, CHECKPOINTS), { recursive: true });
    const state: CheckpointState = {
      position: c.position,
      rng: c.rng,
      optimizerStep: c.optimizer.step,
      ...(c.best ? { best: c.best } : {}),
    };
    await writeDirectoryAtomic(
      target,
      async (tmp) => {
        await saveSafetensors(join(tmp, PARAMS_FILE), c.params);
        await saveSafetensors(join(tmp, OPTIMIZER_FILE), c.optimizer.moments);
        await writeFile(join(tmp, STATE_FILE), `${JSON.stringify(state)}\n`);
      },
      { overwrite: true },
    );
    const all = await this.checkpointNames();
    for (const old of all.slice(0, Math.max(0, all.length - keep))) {
      await rm(join(this.dir, CHECKPOINTS, old), { recursive: true, force: true });
    }
    return target;
  }

  /** Saves the parameters of the best evaluation as `checkpoints/best/` (atomically). */
  async saveBest(params: ReadonlyMap<string, tf.Tensor>, best: BestResult): Promise<void> {
    await mkdir(join(this.dir, CHECKPOINTS), { recursive: true });
    await writeDirectoryAtomic(
      join(this.dir, CHECKPOINTS, 'best'),
      async (tmp) => {
        await saveSafetensors(join(tmp, PARAMS_FILE), params);
        await writeFile(join(tmp, 'best.json'), `${JSON.stringify(best)}\n`);
      },
      { overwrite: true },
    );
  }

  /**
   * The newest checkpoint, read back in full; a run without one is a NotFoundError, a damaged one
   * a FormatError naming the file.
   */
  async latestCheckpoint(): Promise<TrainCheckpoint> {
    const names = await this.checkpointNames();
    const last = names.at(-1);
    if (last === undefined) {
      throw new NotFoundError(`the run has no checkpoint to resume from (no ${CHECKPOINTS}/step-*)`, {
        file: this.dir,
      });
    }
    const dir = join(this.dir, CHECKPOINTS, last);
    const stateFile = join(dir, STATE_FILE);
    const state = (await readJsonFile(stateFile)) as CheckpointState;
    if (typeof state?.position?.step !== 'number' || typeof state.optimizerStep !== 'number' || !state.rng) {
      throw new FormatError('checkpoint state lacks position, optimizer step or random state', { file: stateFile });
    }
    const params = await loadSafetensors(join(dir, PARAMS_FILE));
    let moments: Map<string, tf.Tensor>;
    try {
      moments = await loadSafetensors(join(dir, OPTIMIZER_FILE));
    } catch (err) {
      for (const t of params.values()) t.dispose();
      throw err;
    }
    return {
      position: state.position,
      rng: state.rng,
      params,
      optimizer: { step: state.optimizerStep, moments },
      ...(state.best ? { best: state.best } : {}),
    };
  }

  private async checkpointNames(): Promise<string[]> {
    const dir = join(this.dir, CHECKPOINTS);
    if (!existsSync(dir)) return [];
    return (await readdir(dir)).filter((n) => /^step-\d+$/.test(n)).sort();
  }
}

function firstDifference(
  before: Record<string, unknown>,
  now: Record<string, unknown>,
): { name: string; before: unknown; now: unknown } | undefined {
  for (const name of new Set([...Object.keys(before), ...Object.keys(now)])) {
    if (JSON.stringify(before[name]) !== JSON.stringify(now[name]))
      return { name, before: before[name], now: now[name] };
  }
  return undefined;
}
