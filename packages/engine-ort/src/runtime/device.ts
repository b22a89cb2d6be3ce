import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listSupportedBackends } from 'onnxruntime-node';

/** Where graphs run: `cuda` needs onnxruntime-node's CUDA 12 provider files (see the README). */
export type Device = 'cpu' | 'cuda';

/** What this onnxruntime-node install offers. */
export interface ProviderProbe {
  /** execution providers the binding was built with (`listSupportedBackends()`) */
  readonly backends: ReadonlyArray<{ readonly name: string; readonly bundled: boolean }>;
  /** whether the CUDA provider library, which the install script downloads, is next to the binding */
  readonly cudaLibrary: boolean;
}

/** The execution providers of this install. */
export function probeProviders(): ProviderProbe {
  const require = createRequire(import.meta.url);
  const bin = join(
    dirname(require.resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  return { backends: listSupportedBackends(), cudaLibrary: existsSync(join(bin, 'libonnxruntime_providers_cuda.so')) };
}

/**
 * Execution providers for `device`, in preference order. CUDA is chosen when the binding knows it
 * and its provider library is installed; otherwise the graphs run on CPU and `notice` gets one line.
 */
export function executionProviders(device: Device, probe: ProviderProbe, notice: (line: string) => void): string[] {
  if (device === 'cpu') return ['cpu'];
  const cuda = probe.backends.find((b) => b.name === 'cuda');
  if (cuda !== undefined && (cuda.bundled || probe.cudaLibrary)) return ['cuda', 'cpu'];
  notice(
    cuda === undefined
      ? 'kadapter: this onnxruntime-node has no CUDA execution provider; running on CPU'
      : 'kadapter: the CUDA provider files of onnxruntime-node are not installed (@kadapter/engine-ort README, "CUDA"); running on CPU',
  );
  return ['cpu'];
}
