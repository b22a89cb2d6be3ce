import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type SourceProcess, sharedPath, startSourceProcess } from '@kadapter/test-utils';

export const SAMPLE = sharedPath('data', 'trex', 'sample-output.json');
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

type Doc = { docid: string; triples: Array<{ predicate: { uri: string } }>; words_boundaries: number[][] };

/**
 * Raw T-REx input files made from the shared sample (2 documents): file k holds sample document
 * k (for k < 2) and `copies` perturbed copies of both (new docid, predicates rotated over the
 * sample's relations, so relation counts differ per file). The last file also holds a document
 * whose word boundaries leave its text and ends in a truncated document, so the build records
 * issues (with file and byte offset) in the non-strict mode.
 */
export async function writeTrexInputs(dir: string, files = 6, copies = 10): Promise<string[]> {
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Doc[];
  const relations = [...new Set(sample.flatMap((d) => d.triples.map((t) => t.predicate.uri)))].sort();
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let k = 0; k < files; k++) {
    const docs: Doc[] = k < sample.length ? [sample[k] as Doc] : [];
    for (let j = 0; j < copies; j++)
      for (const [d, doc] of sample.entries()) {
        const copy = structuredClone(doc);
        copy.docid = `${doc.docid}#${k}.${j}.${d}`;
        copy.triples.forEach((t, i) => {
          t.predicate.uri = relations[(i + j + k) % relations.length] as string;
        });
        docs.push(copy);
      }
    let text = JSON.stringify(docs, null, 1);
    if (k === files - 1) {
      const bad = structuredClone(sample[0] as Doc);
      bad.docid = 'bad-boundaries';
      bad.words_boundaries[0] = [1e9, 1e9 + 5];
      const truncated = JSON.stringify({ ...(sample[1] as Doc), docid: 'truncated' }).slice(0, 5000);
      text = `${text.slice(0, -1)},${JSON.stringify(bad)},${truncated}`;
    }
    const path = join(dir, `part-${k}.json`);
    await writeFile(path, text);
    paths.push(path);
  }
  return paths;
}

/** Every file under `dir` (relative path -> bytes), sorted. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (d: string) => {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(dir, path), await readFile(path));
    }
  };
  await walk(dir);
  return files;
}

/** Modification times of every file under `dir`. */
export async function mtimes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of (await readTree(dir)).keys()) out.set(name, (await stat(join(dir, name))).mtimeMs);
  return out;
}

/** A worker process started from sources, with its BullMQ worker name (`host:pid`, the jobs' processedBy). */
export interface WorkerProcess extends SourceProcess {
  name: string;
}

/** Starts `script` (a worker entry point) in `cwd` and waits for the worker's "ready" log line. */
export async function spawnWorker(cwd: string, script: string, args: string[]): Promise<WorkerProcess> {
  const started = await startSourceProcess(cwd, script, args, /: ready: queue /);
  return { ...started, name: `${hostname()}:${started.child.pid}` };
}

/** A non-TTY stream that keeps what is written to it (progress output). */
export function textSink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { stream, text: () => text };
}
