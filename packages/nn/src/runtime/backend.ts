import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@kadapter/core';

/** Backend choices, in the order they are tried when nothing is forced. */
export const BACKEND_CHOICES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Packages that provide the native backends; both are optional peers of @kadapter/core. */
const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

export interface BackendReport {
  /** what was chosen */
  choice: BackendChoice;
  /** tfjs backend name now active ("tensorflow", "wasm", "cpu") */
  tfBackend: string;
  /** true when KADAPTER_BACKEND or the `backend` option forced it */
  forced: boolean;
  /** one-line notices, e.g. which optional packages were absent */
  notices: string[];
}

export interface InitBackendOptions {
  /** force a backend (overrides KADAPTER_BACKEND) */
  backend?: BackendChoice;
  /** where the one-line report goes; default stderr. Pass `() => {}` to silence. */
  log?: (line: string) => void;
  /** environment to read KADAPTER_BACKEND from (tests) */
  env?: Record<string, string | undefined>;
  /** import function (tests substitute it to simulate installed native packages) */
  importModule?: (specifier: string) => Promise<unknown>;
}

let current: BackendReport | undefined;

/** The report of the last successful `initBackend`, if any. */
export function activeBackend(): BackendReport | undefined {
  return current;
}

/**
 * Selects and initialises the tfjs backend: tfjs-node-gpu, then tfjs-node, then wasm, then cpu,
 * unless KADAPTER_BACKEND (or `options.backend`) forces one. A missing native package costs one
 * notice line. The chosen backend is always reported through `log`.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const importModule = options.importModule ?? ((s: string) => import(s));
  const forcedRaw = options.backend ?? env.KADAPTER_BACKEND;
  let forced: BackendChoice | undefined;
  if (forcedRaw !== undefined && forcedRaw !== '') {
    if (!(BACKEND_CHOICES as readonly string[]).includes(forcedRaw)) {
      throw new BackendError(`unknown backend '${forcedRaw}'; choose one of ${BACKEND_CHOICES.join(', ')}`, {
        field: 'KADAPTER_BACKEND',
      });
    }
    forced = forcedRaw as BackendChoice;
  }
  const candidates: readonly BackendChoice[] = forced ? [forced] : BACKEND_CHOICES;
  const notices: string[] = [];
  const absentNative: string[] = [];
  for (const choice of candidates) {
    const failure = await tryBackend(choice, importModule);
    if (failure === undefined) {
      if (absentNative.length > 0) {
        notices.push(`kadapter: ${absentNative.join(' and ')} not installed (optional); using ${choice}`);
      }
      current = { choice, tfBackend: tf.getBackend(), forced: forced !== undefined, notices };
      for (const n of notices) log(n);
      log(`kadapter: tfjs backend = ${choice}${forced ? ' (forced by KADAPTER_BACKEND)' : ''}`);
      return current;
    }
    if (forced) throw new BackendError(`backend '${choice}' could not be initialised: ${failure}`);
    if (failure === 'absent') absentNative.push(NATIVE_PACKAGES[choice as keyof typeof NATIVE_PACKAGES]);
    else notices.push(`kadapter: backend ${choice} failed (${failure}); trying the next one`);
  }
  throw new BackendError('no tfjs backend could be initialised');
}

/** Returns undefined on success, 'absent' when a native package is not installed, or the reason. */
async function tryBackend(
  choice: BackendChoice,
  importModule: (specifier: string) => Promise<unknown>,
): Promise<string | undefined> {
  try {
    if (choice === 'tensorflow-gpu' || choice === 'tensorflow') {
      try {
        await importModule(NATIVE_PACKAGES[choice]);
      } catch (err) {
        if (isModuleNotFound(err)) return 'absent';
        throw err;
      }
      return (await tf.setBackend('tensorflow')) ? undefined : 'setBackend returned false';
    }
    if (choice === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    const ok = await tf.setBackend(choice);
    if (!ok) return 'setBackend returned false';
    await tf.ready();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
