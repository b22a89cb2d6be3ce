import { describe, expect, it } from 'vitest';
import { type GraphTensor, GraphFunction, OrtEngine, type ProviderProbe, ortTensor } from '../src/index.js';
import { executionProviders } from '../src/runtime/device.js';

const listed = (cudaLibrary: boolean): ProviderProbe => ({
  backends: [
    { name: 'cpu', bundled: true },
    { name: 'webgpu', bundled: true },
    { name: 'cuda', bundled: false },
    { name: 'tensorrt', bundled: false },
  ],
  cudaLibrary,
});

describe('device selection (mocked provider lists)', () => {
  it('selects CUDA then CPU when the provider files are installed, silently', () => {
    const lines: string[] = [];
    expect(executionProviders('cuda', listed(true), (l) => lines.push(l))).toEqual(['cuda', 'cpu']);
    expect(
      executionProviders('cuda', { backends: [{ name: 'cuda', bundled: true }], cudaLibrary: false }, (l) =>
        lines.push(l),
      ),
    ).toEqual(['cuda', 'cpu']);
    expect(lines).toEqual([]);
  });

  it('falls back to CPU with one notice line when CUDA is missing', () => {
    for (const probe of [listed(false), { backends: [{ name: 'cpu', bundled: true }], cudaLibrary: false }]) {
      const lines: string[] = [];
      expect(executionProviders('cuda', probe, (l) => lines.push(l))).toEqual(['cpu']);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/CUDA.*running on CPU/);
    }
  });

  it('never looks for CUDA on the cpu device', () => {
    const lines: string[] = [];
    expect(executionProviders('cpu', listed(true), (l) => lines.push(l))).toEqual(['cpu']);
    expect(lines).toEqual([]);
  });

  it('runs on CPU, with a notice, when the CUDA provider fails to start', async () => {
    const lines: string[] = [];
    const engine = new OrtEngine({ device: 'cuda', probe: listed(true), notice: (l) => lines.push(l), threads: 1 });
    expect(engine.device).toBe('cuda');
    const fn = new GraphFunction(engine, (o, x) => ({ y: o.mul(x.a as GraphTensor, 3) }));
    const out = await fn.run({ a: ortTensor(new Float32Array([1, 2]), [2]) });
    await fn.dispose();
    expect([...(out.y!.data as Float32Array)]).toEqual([3, 6]);
    expect(engine.device).toBe('cpu');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/CUDA execution provider failed to start.*running on CPU/);
  });
});
