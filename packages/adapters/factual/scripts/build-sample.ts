/**
 * Makes `sample/`, the factual module's bundled sample, from the T-REx website sample with
 * @kadapter/data-trex's builder. From this package's folder:
 *
 *   npx tsx --conditions=@kadapter/source scripts/build-sample.ts [T-REx sample-output.json] [out dir]
 *
 * (default input: `../shared/data/trex/sample-output.json` beside the checkout; default out:
 * `sample/`). The manifest names the input by its file name (its sha256 identifies it), not by the
 * path it had on the machine that built it.
 */
import { join, basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildTrexResult, buildTrexDataset, readTrexManifest } from '@kadapter/data-trex';
import { writeFileAtomic } from '@kadapter/files';

const here = dirname(fileURLToPath(import.meta.url));

/** What the sample is: every relation kept (min count 1), the official 410 labels, seeded 90/10 split. */
export const SAMPLE_OPTIONS = { minCount: 1, labels: 'official', seed: 42, devFraction: 0.1 } as const;

export const DEFAULT_INPUT = resolve(here, '../../../../../shared/data/trex/sample-output.json');

export async function buildSample(input: string, outDir: string): Promise<BuildTrexResult> {
  const built = await buildTrexDataset({
    inputs: [input],
    outDir,
    ...SAMPLE_OPTIONS,
    workers: 0,
    progress: { silent: true },
  });
  const manifest = await readTrexManifest(outDir);
  for (const entry of manifest.inputs) entry.path = basename(entry.path);
  // the builder's own layout (data-trex merge.ts)
  await writeFileAtomic(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return { ...built, manifest };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input = DEFAULT_INPUT, out = resolve(here, '../sample')] = process.argv.slice(2);
  const { manifest } = await buildSample(input, out);
  console.log(`${out}: ${manifest.counts.train} train, ${manifest.counts.dev} dev examples`);
}
