import { ConfigError } from '@kadapter/core';

/** The parts of a composition a policy speaks about. */
export type Part = 'backbone' | 'adapters' | 'fusion' | 'head';

/**
 * What is trained, what runs in training mode (dropout), and which gradients are clipped together.
 * - `pretraining`: the official adapter pre-training (fac-adapter.py / lin-adapter.py): backbone
 *   frozen and in eval mode, adapter + pre-training head trained and clipped together.
 * - `frozen-features`: backbone and adapters frozen and in eval mode, fusion + head trained (their
 *   inputs never change, so the backbone runs once per example; the default on CPU).
 * - `official`: the released fine-tuning scripts (kadapter-spec.md §0, §8.5): backbone trained,
 *   adapters frozen but with their dropout active, fusion + head trained; the backbone's gradients
 *   and the task model's are clipped separately.
 * - `head-only`: everything frozen but the head.
 */
export type PolicyName = 'pretraining' | 'frozen-features' | 'official' | 'head-only';

export interface Policy {
  readonly name: PolicyName;
  readonly trained: ReadonlySet<Part>;
  /** parts whose dropout runs during training steps */
  readonly dropout: ReadonlySet<Part>;
  /** groups of parts whose gradients are clipped together (each group by its own global norm) */
  readonly clipGroups: ReadonlyArray<readonly Part[]>;
}

const set = (...parts: Part[]) => new Set<Part>(parts);

export const POLICIES: Readonly<Record<PolicyName, Policy>> = {
  pretraining: {
    name: 'pretraining',
    trained: set('adapters', 'head'),
    dropout: set('adapters', 'head'),
    clipGroups: [['adapters', 'head']],
  },
  'frozen-features': {
    name: 'frozen-features',
    trained: set('fusion', 'head'),
    dropout: set('fusion', 'head'),
    clipGroups: [['fusion', 'head']],
  },
  official: {
    name: 'official',
    trained: set('backbone', 'fusion', 'head'),
    dropout: set('backbone', 'adapters', 'fusion', 'head'),
    clipGroups: [['backbone'], ['fusion', 'head']],
  },
  'head-only': {
    name: 'head-only',
    trained: set('head'),
    dropout: set('head'),
    clipGroups: [['head']],
  },
};

export const POLICY_NAMES = Object.keys(POLICIES) as PolicyName[];

/** The policy named `name`; another name is a ConfigError listing the known ones. */
export function policy(name: string): Policy {
  const p = POLICIES[name as PolicyName];
  if (!p) throw new ConfigError(`unknown policy '${name}' (known: ${POLICY_NAMES.join(', ')})`, { field: 'policy' });
  return p;
}
