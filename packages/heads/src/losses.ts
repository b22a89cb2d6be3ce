import { InputError } from '@kadapter/core';
import type { Ops } from '@kadapter/nn';
import type { HostTensor } from './kind.js';

/** Per-row cross entropy of logits [..., C] against integer classes [...]; a class outside [0, C) gives 0. */
function rowCrossEntropy<T>(o: Ops<T>, logits: T, classes: T): T {
  const c = o.shape(logits).at(-1) as number;
  return o.neg(o.sum(o.mul(o.oneHot(classes, c), o.logSoftmax(logits)), -1));
}

/** torch.nn.CrossEntropyLoss (mean over rows): logits [N, C], classes int32 [N]. */
export function crossEntropy<T>(o: Ops<T>, logits: T, classes: T): T {
  return o.mean(rowCrossEntropy(o, logits, classes));
}

/**
 * Cross entropy averaged over the positions where `weight` is 1 and the class is one of the C:
 * logits [B, L, C], classes int32 and weight [B, L]. A negative class (ignore index, -100) does
 * not count.
 */
export function maskedCrossEntropy<T>(o: Ops<T>, logits: T, classes: T, weight: T): T {
  const c = o.shape(logits).at(-1) as number;
  const hasClass = o.sum(o.oneHot(classes, c), -1); // 1 where 0 <= class < C
  const keep = o.mul(o.cast(weight, 'float32'), hasClass);
  return o.div(o.sum(o.mul(rowCrossEntropy(o, logits, classes), keep)), o.sum(keep));
}

/** torch.nn.BCEWithLogitsLoss (mean over all elements), in its numerically stable form. */
export function bceWithLogits<T>(o: Ops<T>, logits: T, targets: T): T {
  const z = o.cast(targets, 'float32');
  const per = o.add(o.sub(o.relu(logits), o.mul(logits, z)), o.log1p(o.exp(o.neg(o.abs(logits)))));
  return o.mean(per);
}

/**
 * Refuses a class outside [0, C) among the positions that count (all, or where `counts(i)`); one-hot
 * would silently turn it into a loss of 0 (torch raises).
 */
export function checkClasses(classes: HostTensor, c: number, counts?: (i: number) => boolean): void {
  const values = classes.data;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if ((counts === undefined || counts(i)) && !(v >= 0 && v < c)) {
      throw new InputError(`class [${i}] = ${v} is outside [0, ${c})`, { field: 'labels' });
    }
  }
}

/** Index of the largest value of each row of a [N, C] host tensor. */
export function argmaxRows(logits: HostTensor): number[] {
  const c = logits.shape.at(-1) as number;
  const n = logits.data.length / c;
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let k = 1; k < c; k++)
      if ((logits.data[r * c + k] as number) > (logits.data[r * c + best] as number)) best = k;
    out.push(best);
  }
  return out;
}
