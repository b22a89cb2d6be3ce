import { spanQaTask } from './span-qa.js';

/** Quasar-T (Dhingra et al. 2017) in thunlp/OpenQA's format (`data/datasets/quasart/{split}.txt` + `.json`). */
export const quasarT = spanQaTask('quasart', 'Quasar-T open-domain QA (span extraction; exact match and F1)');
