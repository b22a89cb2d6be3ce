import { spanQaTask } from './span-qa.js';

/** SearchQA (Dunn et al. 2017) in thunlp/OpenQA's format (`data/datasets/searchqa/{split}.txt` + `.json`). */
export const searchQa = spanQaTask('searchqa', 'SearchQA open-domain QA (span extraction; exact match and F1)');
