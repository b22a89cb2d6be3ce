import { ConfigError } from '@kadapter/core';

/**
 * Refuses a head whose label list is not the task's: the error says how they differ (counts,
 * labels only on one side, or the first position where the order differs).
 */
export function checkLabels(headLabels: readonly string[], taskLabels: readonly string[], source: string): void {
  if (headLabels.length === taskLabels.length && headLabels.every((l, i) => l === taskLabels[i])) return;
  const parts: string[] = [];
  if (headLabels.length !== taskLabels.length)
    parts.push(`head has ${headLabels.length} labels, task has ${taskLabels.length}`);
  const onlyHead = headLabels.filter((l) => !taskLabels.includes(l));
  const onlyTask = taskLabels.filter((l) => !headLabels.includes(l));
  if (onlyHead.length > 0) parts.push(`only in the head: ${preview(onlyHead)}`);
  if (onlyTask.length > 0) parts.push(`only in the task: ${preview(onlyTask)}`);
  if (onlyHead.length === 0 && onlyTask.length === 0) {
    const i = headLabels.findIndex((l, k) => l !== taskLabels[k]);
    parts.push(
      `same labels in another order: position ${i} is '${headLabels[i]}' in the head, '${taskLabels[i]}' in the task`,
    );
  }
  throw new ConfigError(`label list differs from the task's: ${parts.join('; ')}`, { file: source, field: 'labels' });
}

function preview(xs: readonly string[]): string {
  return xs.length <= 8 ? xs.join(', ') : `${xs.slice(0, 8).join(', ')}, ... (${xs.length - 8} more)`;
}
