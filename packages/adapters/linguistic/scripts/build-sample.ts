/**
 * Makes `sample/`, the linguistic module's bundled sample: the first sentences of UD English EWT
 * train and dev, converted to the official find_head format by @kadapter/data-dependency's builder.
 * From this package's folder:
 *
 *   npx tsx --conditions=@kadapter/source scripts/build-sample.ts [UD English EWT folder] [out dir]
 *
 * (default input: `../shared/data/ud-english-ewt` beside the checkout; default out: `sample/`).
 * The first sentences of each split are cut into `<split file>.first<N>.conllu` (whole sentences,
 * bytes unchanged) in a temp folder and built from there; the manifests name that file by its file
 * name (its sha256 identifies it), not by the path it had on the machine that built it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFindHead, type FindHeadManifest, findHeadManifestPath } from '@kadapter/data-dependency';
import { writeFileAtomic } from '@kadapter/files';

const here = dirname(fileURLToPath(import.meta.url));

/** Sentences taken from the start of each split. */
export const SAMPLE_SENTENCES = { train: 300, dev: 100 } as const;

export const DEFAULT_INPUT = resolve(here, '../../../../../shared/data/ud-english-ewt');

/** The first `n` sentences of a CoNLL-U text: everything up to and including its n-th blank line. */
export function firstSentences(conllu: string, n: number): string {
  let at = 0;
  for (let seen = 0; seen < n; seen++) {
    const end = conllu.indexOf('\n\n', at);
    if (end < 0) throw new Error(`the file has fewer than ${n} sentences`);
    at = end + 2;
  }
  return conllu.slice(0, at);
}

export async function buildSample(ewtDir: string, outDir: string): Promise<Record<string, FindHeadManifest>> {
  const work = await mkdtemp(join(tmpdir(), 'kadapter-ewt-sample-'));
  const manifests: Record<string, FindHeadManifest> = {};
  try {
    for (const [split, n] of Object.entries(SAMPLE_SENTENCES)) {
      const cut = join(work, `en_ewt-ud-${split}.first${n}.conllu`);
      await writeFile(cut, firstSentences(await readFile(join(ewtDir, `en_ewt-ud-${split}.conllu`), 'utf8'), n));
      const out = join(outDir, `${split}.json`);
      const manifest = await buildFindHead({ inputs: [cut], out, strict: true, progress: { silent: true } });
      for (const input of manifest.inputs) input.path = basename(input.path);
      for (const issue of manifest.issues) issue.file = basename(issue.file);
      for (const mismatch of manifest.textMismatches) mismatch.file = basename(mismatch.file);
      await writeFileAtomic(findHeadManifestPath(out), `${JSON.stringify(manifest, null, 1)}\n`);
      manifests[split] = manifest;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return manifests;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input = DEFAULT_INPUT, out = resolve(here, '../sample')] = process.argv.slice(2);
  const manifests = await buildSample(input, out);
  for (const [split, m] of Object.entries(manifests))
    console.log(`${out}/${split}.json: ${m.counts.written} of ${m.counts.sentences} sentences`);
}
