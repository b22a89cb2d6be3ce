import { createProgress, type ProgressOptions } from '@kadapter/progress';
import * as tf from '@tensorflow/tfjs';
import type { TaskModel } from './model.js';
import type { Policy } from './policy.js';
import type { RunDir } from './run-dir.js';
import {
  scheduleLength,
  type StepReport,
  type TrainCheckpoint,
  type TrainResult,
  type TrainSettings,
  train,
} from './trainer.js';

export interface RunTrainingOptions {
  /** the held-out examples evaluated every `evalEvery` updates and at the end */
  dev?: TaskModel;
  /** continue from the run's last checkpoint */
  resume?: boolean;
  /** label of the progress bar, e.g. "pretrain" */
  label: string;
  progress?: Pick<ProgressOptions, 'silent' | 'stream'>;
  /** one-line notices (e.g. "resuming from update 4") */
  log?: (line: string) => void;
  onStep?: (report: StepReport) => void;
  /** asked after every update; true checkpoints and stops (Ctrl-C) */
  shouldStop?: () => boolean;
}

/**
 * `train()` inside a run directory: every update is a line of metrics.jsonl (`step`, `epoch`,
 * `loss`, `lr`, `grad_norms`, `examples_per_s`), every evaluation too (`step`, `eval`), the best
 * evaluation's parameters are kept in `checkpoints/best/`, checkpoints are written as the settings
 * ask (and when stopped early), a progress bar shows step, loss, rate and ETA, and `resume`
 * continues exactly from the last checkpoint (metrics after it are dropped first).
 */
export async function trainInRun(
  run: RunDir,
  model: TaskModel,
  policy: Policy,
  settings: TrainSettings,
  o: RunTrainingOptions,
): Promise<TrainResult> {
  let resume: TrainCheckpoint | undefined;
  if (o.resume) {
    resume = await run.latestCheckpoint();
    await run.truncateMetrics(resume.position.step);
    o.log?.(`resuming from update ${resume.position.step}`);
  }
  const total = settings.maxSteps ?? settings.totalSteps ?? scheduleLength(model.examples, settings);
  const progress = createProgress({ label: o.label, total, unit: 'steps', ...o.progress });
  if (resume) progress.tick(resume.position.step);
  const primary = model.task.metrics.primary;
  try {
    return await train(
      model,
      policy,
      settings,
      {
        onStep: async (r) => {
          await run.log({
            step: r.step,
            epoch: r.epoch,
            loss: r.loss,
            lr: r.lr,
            grad_norms: r.gradNorms,
            examples_per_s: r.examplesPerSecond,
          });
          progress.tick(1, `loss ${r.loss.toFixed(4)}`);
          o.onStep?.(r);
        },
        onEval: async (e) => {
          await run.log({ step: e.step, eval: e.metrics });
          if (e.best) {
            await run.saveBest(model.parameters(policy).all, {
              metric: primary.name,
              value: e.metrics[primary.name] as number,
              step: e.step,
            });
          }
        },
        checkpoint: async (c) => {
          try {
            await run.saveCheckpoint(c);
          } finally {
            tf.dispose([...c.params.values(), ...c.optimizer.moments.values()]);
          }
        },
        ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
      },
      { ...(o.dev ? { dev: o.dev } : {}), ...(resume ? { resume } : {}) },
    );
  } finally {
    progress.stop();
    if (resume) tf.dispose([...resume.params.values(), ...resume.optimizer.moments.values()]);
  }
}
