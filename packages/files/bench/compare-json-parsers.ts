/**
 * Which streaming JSON parser `readJsonArray` is built on: streams the elements of one file that
 * holds a JSON array with each candidate in a fresh child process and prints wall time and peak
 * RSS. `readJsonArray` itself (the parser plus element offsets, BOM and error checks) is measured
 * too; `JSON.parse` of the whole file is the in-memory reference.
 *
 *   cd tools/perf && npx tsx --conditions=@kadapter/source src/trex-stream-memory.ts --generate-only /tmp/trex-100mb.json 100
 *   cd packages/files && npx tsx --conditions=@kadapter/source bench/compare-json-parsers.ts /tmp/trex-100mb.json
 *
 * Many small elements instead (T-REx relation-classification records, as `kadapter encode` reads):
 *
 *   npx tsx --conditions=@kadapter/source bench/compare-json-parsers.ts --generate-records /tmp/records.json 200000
 *   npx tsx --conditions=@kadapter/source bench/compare-json-parsers.ts /tmp/records.json
 *
 * stream-json is a devDependency of this package only for this comparison.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = [
  'readJsonArray',
  '@streamparser/json',
  'stream-json',
  'stream-json (packed values only)',
  'JSON.parse (whole file)',
];

async function run(which: string, file: string): Promise<number> {
  let elements = 0;
  if (which === 'readJsonArray') {
    const { readJsonArray } = await import('../src/index.js');
    for await (const _ of readJsonArray(file)) elements++;
  } else if (which === '@streamparser/json') {
    const { JSONParser } = await import('@streamparser/json');
    const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
    parser.onValue = () => {
      elements++;
    };
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) parser.write(chunk as Buffer);
    if (!parser.isEnded) parser.end();
  } else if (which.startsWith('stream-json')) {
    const { parser } = await import('stream-json');
    const { streamArray } = await import('stream-json/streamers/stream-array.js');
    const options = which.includes('packed') ? { packValues: true, streamValues: false } : {};
    const tokens = createReadStream(file, { highWaterMark: 1 << 16 }).pipe(parser.asStream(options));
    for await (const _ of tokens.pipe(streamArray.asStream())) elements++;
  } else {
    elements = (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length;
  }
  return elements;
}

/** `n` small records: a 10-token sentence, entity spans, a relation id and a short text with quotes and é. */
function generateRecords(file: string, n: number): void {
  const records = Array.from({ length: n }, (_, i) => ({
    token: ['The', 'old', 'river', 'runs', 'through', `town${i}`, 'near', 'the', 'market', '.'],
    subj_start: 1,
    subj_end: 2,
    obj_start: 5,
    obj_end: 5,
    relation: `P${i % 400}`,
    text: `The old river ${i} "quoted" café`,
  }));
  writeFileSync(file, JSON.stringify(records));
}

const [mode, which, file] = process.argv.slice(2);
if (mode === '--generate-records') {
  generateRecords(which as string, Number(file));
} else if (mode === '--child') {
  const t0 = performance.now();
  const elements = await run(which as string, file as string);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ elements, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
} else {
  const input = mode as string;
  for (const candidate of CANDIDATES) {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', candidate, input],
      {
        encoding: 'utf8',
      },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1) as string) as {
      elements: number;
      seconds: number;
      peakRssMb: number;
    };
    console.log(
      `${candidate}: ${r.elements} elements, ${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
    );
  }
}
