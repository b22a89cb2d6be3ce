import { BackendError } from '@kadapter/core';
import { InferenceSession } from 'onnxruntime-node';
import { type Device, executionProviders, type ProviderProbe, probeProviders } from './device.js';

export interface OrtEngineOptions {
  /** `cuda` when the CUDA provider is installed, else CPU with a notice (default `cpu`) */
  device?: Device;
  /** intra-op threads (default: ONNX Runtime's, one per physical core) */
  threads?: number;
  /** where the one-line device notice goes (default: stderr) */
  notice?: (line: string) => void;
  /** the install's providers (default: probed; tests pass a mocked list) */
  probe?: ProviderProbe;
}

/** Creates ONNX Runtime sessions for graphs, on the device chosen once for the engine. */
export class OrtEngine {
  private providers: string[];
  private readonly notice: (line: string) => void;

  constructor(private readonly options: OrtEngineOptions = {}) {
    this.notice = options.notice ?? ((line) => process.stderr.write(`${line}\n`));
    const device = options.device ?? 'cpu';
    this.providers = executionProviders(
      device,
      options.probe ?? (device === 'cpu' ? noProbe : probeProviders()),
      this.notice,
    );
  }

  /** The device graphs run on (after any fallback). */
  get device(): Device {
    return this.providers[0] === 'cuda' ? 'cuda' : 'cpu';
  }

  /**
   * A session for model bytes. If the CUDA provider is selected but fails to start (no driver, no
   * GPU), the engine falls back to CPU for good, with one notice.
   */
  async session(model: Uint8Array): Promise<InferenceSession> {
    try {
      return await InferenceSession.create(model, this.sessionOptions());
    } catch (err) {
      if (this.providers[0] !== 'cuda')
        throw new BackendError(`ONNX Runtime rejected a graph: ${String(err)}`, { cause: err });
      this.notice(`kadapter: the CUDA execution provider failed to start (${firstLine(err)}); running on CPU`);
      this.providers = ['cpu'];
      return this.session(model);
    }
  }

  private sessionOptions(): InferenceSession.SessionOptions {
    return {
      executionProviders: this.providers,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      ...(this.options.threads === undefined ? {} : { intraOpNumThreads: this.options.threads, interOpNumThreads: 1 }),
    };
  }
}

const noProbe: ProviderProbe = { backends: [], cudaLibrary: false };

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] as string;
}
