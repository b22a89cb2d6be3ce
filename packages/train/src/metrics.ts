import type { HostTensor, MetricAccumulator, MetricSet } from '@kadapter/core';

/** Index of the largest value in row `r` of a row-major [rows, c] buffer (first maximum on ties). */
function argmaxAt(data: ArrayLike<number>, r: number, c: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if ((data[r * c + k] as number) > (data[r * c + best] as number)) best = k;
  return best;
}

/**
 * Accuracy of single-label classification: the argmax of each row of the logits [N, C] against
 * the class ids of label `labels` [N]. Reported as `accuracy` (and `examples`).
 */
export function accuracyMetric(): MetricSet {
  return {
    names: ['accuracy', 'examples'],
    primary: { name: 'accuracy', higherIsBetter: true },
    create(): MetricAccumulator {
      let hits = 0;
      let total = 0;
      return {
        add(logits: HostTensor, labels: Readonly<Record<string, HostTensor>>) {
          const c = logits.shape.at(-1) as number;
          const gold = labelsOf(labels, 'labels');
          for (let r = 0; r < gold.data.length; r++) {
            if (argmaxAt(logits.data, r, c) === gold.data[r]) hits++;
            total++;
          }
        },
        result: () => ({ accuracy: total === 0 ? 0 : hits / total, examples: total }),
      };
    },
  };
}

/**
 * Accuracy of per-token classification (the official lin-adapter evaluation, but over all tokens
 * of the set rather than a mean of per-batch means): the argmax of the logits [B, L, C] against
 * label `labels` [B, L], over positions where label `mask` is not 0 and the label is not negative.
 * Reported as `token_accuracy` (and `tokens`).
 */
export function tokenAccuracyMetric(): MetricSet {
  return {
    names: ['token_accuracy', 'tokens'],
    primary: { name: 'token_accuracy', higherIsBetter: true },
    create(): MetricAccumulator {
      let hits = 0;
      let total = 0;
      return {
        add(logits: HostTensor, labels: Readonly<Record<string, HostTensor>>) {
          const c = logits.shape.at(-1) as number;
          const gold = labelsOf(labels, 'labels');
          const mask = labelsOf(labels, 'mask');
          for (let i = 0; i < gold.data.length; i++) {
            const g = gold.data[i] as number;
            if (mask.data[i] === 0 || g < 0) continue;
            if (argmaxAt(logits.data, i, c) === g) hits++;
            total++;
          }
        },
        result: () => ({ token_accuracy: total === 0 ? 0 : hits / total, tokens: total }),
      };
    },
  };
}

function labelsOf(labels: Readonly<Record<string, HostTensor>>, name: string): HostTensor {
  const t = labels[name];
  if (!t) throw new Error(`internal: metric needs label '${name}', the task gives ${Object.keys(labels).join(', ')}`);
  return t;
}
