import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectError, sharedPath, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { collect, cosmosQa, figer, openEntity, quasarT, searchQa, tacred } from '../src/index.js';

const tempDir = useTempDir('kadapter-bench-read-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A JSON array written one element per line: element i is on line i + 2. */
function arrayFile(name: string, items: unknown[]): string {
  return file(name, `[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]\n`);
}

const OBAMA = { sent: 'Obama visited Paris yesterday .', start: 14, end: 19, labels: ['location', 'place'] };

describe('OpenEntity reader', () => {
  it('reads the fixture examples with their types as ids in the official order', async () => {
    const path = tinyFixture('examples/openentity.json');
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { labels: string[] }[];
    const got = await collect(openEntity.read(path));
    expect(got.map((e) => e.labels)).toEqual(raw.map((r) => r.labels));
    // ['entity','location','time','organization','object','event','place','person','group']
    expect(got.map((e) => e.types)).toEqual([[1, 6], [3, 8], [7], [2]]);
    expect(openEntity.gold(got[0]!)).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0]);
    expect(got[3]!.where.file).toBe(path);
  });

  it('an unknown type names the file, line, byte offset and field', async () => {
    const path = arrayFile('oe-label.json', [OBAMA, { ...OBAMA, labels: ['place', 'city'] }]);
    const text = readFileSync(path, 'utf8');
    const offset = Buffer.byteLength(text.slice(0, text.indexOf('{', 3)));
    await expectError(
      collect(openEntity.read(path)),
      'E_DATA',
      `${path}:3 @byte ${offset}, field 'labels': example 1: label "city"`,
    );
  });

  it('a mention outside the sentence, empty, or a missing field is a DataError naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...OBAMA, end: 40 }, "field 'end'"],
      [{ ...OBAMA, end: 14 }, "field 'end'"],
      [{ ...OBAMA, start: -1 }, "field 'start'"],
      [{ ...OBAMA, start: '14' }, "field 'start'"],
      [{ sent: OBAMA.sent, start: 14, end: 19 }, "field 'labels'"],
      [[1, 2], 'expected a JSON object'],
    ];
    for (const [i, [record, part]] of cases.entries()) {
      const path = arrayFile(`oe-bad-${i}.json`, [OBAMA, OBAMA, record]);
      await expectError(collect(openEntity.read(path)), 'E_DATA', `${path}:4 `, part);
    }
  });

  it('mention offsets count code points, as Python string indices do', async () => {
    const path = arrayFile('oe-astral.json', [{ sent: '𝔸 Paris', start: 2, end: 7, labels: ['place'] }]);
    expect((await collect(openEntity.read(path)))[0]!.types).toEqual([6]);
    const bad = arrayFile('oe-astral-bad.json', [{ sent: '𝔸 Paris', start: 2, end: 8, labels: ['place'] }]);
    await expectError(collect(openEntity.read(bad)), 'E_DATA', "field 'end'", '3..7');
  });

  it('malformed JSON is a FormatError naming the file and line', async () => {
    const path = file('oe-malformed.json', `[\n${JSON.stringify(OBAMA)},\n{"sent": "x",, }\n]`);
    await expectError(collect(openEntity.read(path)), 'E_FORMAT', `${path}:3 @byte`);
  });
});

describe('FIGER reader', () => {
  const records = [
    { sent: 'He joined Microsoft in 1990 .', start: 10, end: 19, labels: ['/organization', '/organization/company'] },
    { sent: 'Paris is big .', start: 0, end: 5, labels: ['/location/city', '/location'] },
    { sent: 'Paris is big .', start: 0, end: 5, labels: ['/location'] },
  ];

  it('derives the label list from the file in order of first appearance when none is given', async () => {
    const path = arrayFile('figer-train.json', records);
    const got = await collect(figer.read(path));
    expect(got.map((e) => e.types)).toEqual([[0, 1], [2, 3], [3]]);
    const labels = ['/organization', '/organization/company', '/location/city', '/location'];
    expect(figer.gold(got[1]!, { labels })).toEqual([0, 0, 1, 1]);
  });

  it('with the run label list, a label missing from it names line and field', async () => {
    const path = arrayFile('figer-test.json', records);
    await expectError(
      collect(figer.read(path, { labels: ['/organization', '/organization/company', '/location'] })),
      'E_DATA',
      `${path}:3 `,
      "field 'labels'",
      '"/location/city"',
    );
  });

  it('a record without labels fails while deriving the list, naming its line', async () => {
    const path = arrayFile('figer-nolabels.json', [records[0], { sent: 'x y', start: 0, end: 1 }]);
    await expectError(collect(figer.read(path)), 'E_DATA', `${path}:3 `, "field 'labels'");
  });
});

describe('TACRED reader', () => {
  it('reads the public sample (3 × 20 examples) with the relations of its README', async () => {
    const counts: Record<string, number> = {};
    const got = await collect(tacred.read(sharedPath('data', 'tacred-sample', 'train.json')));
    for (const e of got) counts[tacred.gold(e)!] = (counts[tacred.gold(e)!] ?? 0) + 1;
    expect(got.length).toBe(20);
    expect(counts).toEqual({ no_relation: 18, 'org:city_of_headquarters': 2 });
    // no_relation is label 28 of the official list
    expect(got.filter((e) => e.label === 28).length).toBe(18);
    for (const split of ['dev', 'test']) {
      expect((await collect(tacred.read(sharedPath('data', 'tacred-sample', `${split}.json`)))).length).toBe(20);
    }
    const fixture = await collect(tacred.read(tinyFixture('examples/tacred.json')));
    expect(fixture.map((e) => e.relation)).toEqual([
      'org:founded_by',
      'per:employee_of',
      'no_relation',
      'per:city_of_birth',
    ]);
  });

  const GATES = {
    token: ['Bill', 'Gates', 'founded', 'Microsoft', '.'],
    subj_start: 3,
    subj_end: 3,
    obj_start: 0,
    obj_end: 1,
    relation: 'org:founded_by',
  };

  it('bad spans and unknown relations name line and field', async () => {
    const cases: [unknown, string][] = [
      [{ ...GATES, relation: 'org:founder' }, "field 'relation'"],
      [{ ...GATES, subj_end: 5 }, "field 'subj_end'"],
      [{ ...GATES, subj_end: 2 }, "field 'subj_end'"],
      [{ ...GATES, obj_start: -1 }, "field 'obj_start'"],
      [{ ...GATES, token: ['Bill', 3] }, "field 'token'"],
    ];
    for (const [i, [record, part]] of cases.entries()) {
      const path = arrayFile(`tacred-bad-${i}.json`, [GATES, record]);
      await expectError(collect(tacred.read(path)), 'E_DATA', `${path}:3 `, part);
    }
  });
});

describe('CosmosQA reader', () => {
  it('reads the upstream CSV (2,985 questions; label counts of its README) and the JSON-lines fixture', async () => {
    const counts = [0, 0, 0, 0];
    let n = 0;
    for await (const e of cosmosQa.read(sharedPath('data', 'cosmosqa', 'valid.csv'))) {
      counts[cosmosQa.gold(e)!]!++;
      n++;
    }
    expect(n).toBe(2985);
    expect(counts).toEqual([744, 729, 761, 751]);
    const jsonl = await collect(cosmosQa.read(tinyFixture('examples/cosmosqa.jsonl')));
    expect(jsonl.map((e) => [e.question, cosmosQa.gold(e)])).toEqual(
      readFileSync(tinyFixture('examples/cosmosqa.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { question: string; label: string })
        .map((r) => [r.question, Number(r.label)]),
    );
  });

  it('an unlabelled question has no gold; a bad label or a missing answer names line and field', async () => {
    const q = { context: 'c', question: 'q', answer0: 'a', answer1: 'b', answer2: 'c', answer3: 'd' };
    const ok = file('cq.jsonl', `${JSON.stringify({ ...q, label: '' })}\n`);
    expect(cosmosQa.gold((await collect(cosmosQa.read(ok)))[0]!)).toBeUndefined();
    const bad = file(
      'cq-bad.jsonl',
      `${JSON.stringify({ ...q, label: '1' })}\n${JSON.stringify({ ...q, label: '4' })}\n`,
    );
    await expectError(collect(cosmosQa.read(bad)), 'E_DATA', `${bad}:2, field 'label'`);
    const missing = file('cq-missing.csv', `context,question,answer0,answer1,answer2,label\nc,q,a,b,c,1\n`);
    await expectError(collect(cosmosQa.read(missing)), 'E_DATA', `${missing}:2, field 'answer3'`);
  });
});

describe('SearchQA / Quasar-T reader (OpenQA format)', () => {
  const questions = [
    { question: 'Which country is Paris in?', answers: ['France'] },
    { question: 'Who wrote Hamlet?', answers: ['Shakespeare', 'William Shakespeare'] },
  ];
  const paragraphs = [
    [{ question: ['Which', 'country'], document: ['Paris', 'is', 'in', 'France', '.', 'Yes'] }],
    [
      { question: ['Who'], document: ['Hamlet', 'by', 'Shakespeare'] },
      { question: ['Who'], document: ['Shakespeare', 'wrote', 'it'] },
    ],
  ];
  const lines = (values: unknown[]) => `${values.map((v) => JSON.stringify(v)).join('\n')}\n`;

  it('reads questions with answers, and the paragraphs of each question when given', async () => {
    const txt = file('dev.txt', lines(questions));
    const json = file('dev.json', lines(paragraphs));
    const plain = await collect(searchQa.read(txt));
    expect(plain.map((e) => [e.question, searchQa.gold(e), e.paragraphs])).toEqual([
      [questions[0]!.question, ['France'], undefined],
      [questions[1]!.question, ['Shakespeare', 'William Shakespeare'], undefined],
    ]);
    const full = await collect(quasarT.read(txt, { paragraphs: json }));
    expect(full.map((e) => e.paragraphs)).toEqual(paragraphs);
    expect(full[1]!.where).toEqual({ file: txt, line: 2 });
  });

  it('names the file, line and field of a bad question or paragraph, and files of different lengths', async () => {
    const txt = file('q.txt', lines(questions));
    const noAnswers = file('q-none.txt', lines([questions[0], { question: 'x', answers: [] }]));
    await expectError(collect(searchQa.read(noAnswers)), 'E_DATA', `${noAnswers}:2, field 'answers'`);
    const badDoc = file('p-bad.json', lines([paragraphs[0], [paragraphs[1]![0], { question: ['x'], document: 'y' }]]));
    await expectError(collect(searchQa.read(txt, { paragraphs: badDoc })), 'E_DATA', `${badDoc}:2, field 'document'`);
    const short = file('p-short.json', lines([paragraphs[0]]));
    await expectError(
      collect(searchQa.read(txt, { paragraphs: short })),
      'E_DATA',
      short,
      'no paragraphs for question 1',
    );
    const long = file('p-long.json', lines([...paragraphs, paragraphs[0]]));
    await expectError(collect(searchQa.read(txt, { paragraphs: long })), 'E_DATA', `${long}:3`, 'more lines');
    const malformed = file('q-malformed.txt', `${JSON.stringify(questions[0])}\n{"question": \n`);
    await expectError(collect(searchQa.read(malformed)), 'E_FORMAT', `${malformed}:2`);
  });
});
