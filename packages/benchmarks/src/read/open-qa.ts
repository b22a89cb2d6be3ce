import { DataError } from '@kadapter/core';
import { arrayField, objectOf, recordError, stringArrayField, stringField } from '@kadapter/data-encode';
import type { InputRecord } from '@kadapter/core';
import { isJsonObject, type JsonLine, readJsonLines } from '@kadapter/files';
import type { Example } from './examples.js';
import { answersField } from './prediction-fields.js';

/** One retrieved paragraph of an OpenQA question: question and document as token lists. */
export interface OpenQaParagraph {
  question: string[];
  document: string[];
}

/** A SearchQA / Quasar-T question in thunlp/OpenQA's format, with its paragraphs when read. */
export interface OpenQaExample {
  question: string;
  answers: string[];
  paragraphs?: OpenQaParagraph[];
}

function checkQuestion(record: InputRecord): OpenQaExample {
  const obj = objectOf(record);
  return { question: stringField(record, obj, 'question'), answers: answersField(record, obj, 'answers') };
}

function checkParagraphs(record: InputRecord): OpenQaParagraph[] {
  const items = arrayField(record, { paragraphs: record.value }, 'paragraphs');
  if (items.length === 0) throw recordError(record, 'expected at least one paragraph');
  return items.map((item, i) => {
    const at = { ...record, value: item };
    if (!isJsonObject(item)) throw recordError(at, `paragraph ${i} is not an object`, `[${i}]`);
    return {
      question: stringArrayField(at, item, 'question'),
      document: stringArrayField(at, item, 'document'),
    };
  });
}

function inputRecord(line: JsonLine, file: string): InputRecord {
  return { value: line.value, index: line.index, where: { file, line: line.line } };
}

/**
 * Streams the questions of an OpenQA split (thunlp/OpenQA `main.py` `read_data`,
 * src/reader/utils.py; FORMATS.md "SearchQA and Quasar-T"): `{split}.txt`, JSON lines of
 * `{"question": string, "answers": [string, …]}` (at least one answer), and optionally the
 * paragraphs file `{split}.json`, whose i-th JSON line is the array of `{"question": [tokens],
 * "document": [tokens]}` paragraphs of the i-th question. A bad line, or files of different
 * lengths, is a DataError naming the file, line and field.
 */
export async function* readOpenQa(file: string, paragraphsFile?: string): AsyncGenerator<Example<OpenQaExample>> {
  const questions = readJsonLines(file);
  const paragraphs = paragraphsFile === undefined ? undefined : readJsonLines(paragraphsFile);
  try {
    for (;;) {
      const q = await questions.next();
      const p = await paragraphs?.next();
      if (q.done) {
        if (p && !p.done)
          throw new DataError(`has more lines than the questions file ${file}`, {
            file: paragraphsFile,
            line: p.value.line,
          });
        return;
      }
      const record = inputRecord(q.value, file);
      const example = checkQuestion(record);
      if (p?.done)
        throw new DataError(`ends before the questions file: no paragraphs for question ${q.value.index}`, {
          file: paragraphsFile,
        });
      yield {
        ...example,
        ...(p ? { paragraphs: checkParagraphs(inputRecord(p.value, paragraphsFile as string)) } : {}),
        index: record.index,
        where: record.where,
      };
    }
  } finally {
    await questions.return(undefined);
    await paragraphs?.return(undefined);
  }
}
