#!/usr/bin/env python3
"""Random test cases for @kadapter/benchmarks, scored by the official metric code.

Imports the metric functions from an unpacked microsoft/K-Adapter checkout (--official) and from an
unpacked thunlp/OpenQA checkout (--openqa, for the answer metrics K-Adapter's SearchQA/Quasar-T
code was based on), runs them on seeded random inputs and writes inputs and outputs as one JSON
file. Nothing of the official code is copied: every expected value is what the imported official
function returned. Run with a Python that has torch and numpy (see README.md).
"""
import argparse
import contextlib
import io
import importlib
import importlib.util
import json
import logging
import random
import sys
import tempfile
import textwrap
import types

import numpy as np
import torch

OFFICIAL_COMMIT = '43651cd3b30d80572907b9661ccf2d7318bd9653'
OPENQA_COMMIT = 'e8faddca287c81cb52ac904ba8980734ea40a03c'


def stub(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


def stub_missing_modules():
    """Modules the official scripts import at top level but never use in the metric code."""
    stub('tqdm', tqdm=lambda iterable=None, *a, **k: iterable, trange=lambda *a, **k: range(*a))
    stub('tensorboardX', SummaryWriter=object)
    stub('sklearn', __path__=[])
    stub('sklearn.metrics', matthews_corrcoef=None, f1_score=None)
    stub('scipy', __path__=[])
    stub('scipy.stats', pearsonr=None, spearmanr=None)
    stub('boto3')
    stub('botocore', __path__=[])
    stub('botocore.config', Config=object)
    stub('botocore.exceptions', ClientError=Exception)
    stub('sacremoses')
    stub('sentencepiece')


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_official(root):
    """examples/utils_glue.py, examples/utils_figer.py and the FIGER and CosmosQA fine-tune scripts."""
    stub_missing_modules()
    sys.path[:0] = [root + '/examples', root]
    utils_glue = load('utils_glue', root + '/examples/utils_glue.py')
    utils_figer = load('utils_figer', root + '/examples/utils_figer.py')
    figer = load('run_finetune_figer_adapter', root + '/examples/run_finetune_figer_adapter.py')
    cosmosqa = load('run_finetune_cosmosqa_adapter', root + '/examples/run_finetune_cosmosqa_adapter.py')
    return utils_glue, utils_figer, figer, cosmosqa


def load_openqa(root):
    """src/reader/utils.py (answer normalisation, EM, F1) and DocReader.decode of src/reader/model.py.

    The packages `src` and `src.reader` are stood in for: their __init__ files import the whole
    reader (model.py does not compile on Python >= 3.7: `cuda(async=True)`). `decode` is a
    staticmethod that uses only torch and numpy; its source is cut out of model.py and executed.
    """
    stub('src', __path__=[root + '/src'], DATA_DIR=root + '/data')
    stub('src.reader', __path__=[root + '/src/reader'])
    utils = importlib.import_module('src.reader.utils')
    lines = open(root + '/src/reader/model.py', encoding='utf8').read().split('\n')
    start = next(i for i, line in enumerate(lines) if line.strip().startswith('def decode('))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith('    @') or lines[i].startswith('    def '))
    namespace = {'torch': torch, 'np': np}
    exec(textwrap.dedent('\n'.join(lines[start:end])), namespace)
    return utils, namespace['decode']


# Logits are multiples of 1/16 in [-3, 3]: exact in float32 (the official code sees float32 numpy
# arrays), and ties (row maxima, argmax) and exact zeros occur often.
def logit(rng):
    return rng.randint(-48, 48) / 16


def logit_rows(rng, n, width):
    return [[logit(rng) for _ in range(width)] for _ in range(n)]


def multi_hot(rng, width, p, at_least_one):
    while True:
        row = [1 if rng.random() < p else 0 for _ in range(width)]
        if sum(row) > 0 or not at_least_one:
            return row


def entity_typing_cases(rng, utils_glue, count):
    cases = []
    while len(cases) < count:
        n = rng.choice([1, 2, 3, 5, 8, 13, 21, 40])
        logits = logit_rows(rng, n, 9)
        if rng.random() < 0.1:
            logits = [[-abs(x) - 0.0625 for x in row] for row in logits]  # nothing predicted
        labels = [multi_hot(rng, 9, rng.choice([0.15, 0.3]), rng.random() < 0.8) for _ in range(n)]
        if sum(map(sum, labels)) == 0:
            continue  # the official loose_micro divides by the number of gold labels
        cnt, micro, macro = utils_glue.entity_typing_accuracy(np.array(logits, np.float32), np.array(labels))
        cases.append({'logits': logits, 'labels': labels,
                      'expected': {'cnt': int(cnt), 'loose_micro': list(micro), 'loose_macro': list(macro)}})
    return cases


def figer_evaluate(figer, logits, labels, batch_size):
    """The script's evaluate() on a dataset whose model returns `logits` row by row."""
    n = len(logits)
    table = torch.tensor(logits, dtype=torch.float32)
    dataset = torch.utils.data.TensorDataset(
        torch.arange(n).unsqueeze(1), torch.ones(n, 1, dtype=torch.long), torch.zeros(n, 1, dtype=torch.long),
        torch.tensor(labels, dtype=torch.float32), torch.zeros(n, 1))

    class Backbone:
        def eval(self):
            pass

        def __call__(self, **inputs):
            return None

    class Head(Backbone):
        def __call__(self, backbone_outputs, **inputs):
            return torch.zeros(1), table[inputs['input_ids'][:, 0]]

    figer.load_and_cache_examples = lambda *a, **k: dataset
    figer.save_results.clear()
    with tempfile.TemporaryDirectory() as out:
        args = types.SimpleNamespace(task_name='entity_type', output_dir=out, local_rank=-1, n_gpu=1,
                                     per_gpu_eval_batch_size=batch_size, device='cpu', model_type='roberta',
                                     my_model_name='cases')
        return figer.evaluate(args, (Backbone(), Head()), tokenizer=None)['test']


def figer_cases(rng, utils_figer, figer, count):
    cases = []
    for _ in range(count):
        width = rng.choice([2, 3, 5, 8, 20, 113])
        n = rng.choice([1, 2, 3, 4, 5, 7, 9, 12, 17, 30])
        batch = rng.choice([1, 2, 3, 4, 4, 8])
        logits = logit_rows(rng, n, width)
        # every FIGER example has a type; the script's per-batch figer_scores divides by their count
        labels = [multi_hot(rng, width, min(0.5, 2 / width), True) for _ in range(n)]
        arr, lab = np.array(logits, np.float32), np.array(labels, np.float32)
        cnt, _, _ = figer.accuracy(arr, lab)
        script = figer_evaluate(figer, logits, labels, batch)
        whole = figer_evaluate(figer, logits, labels, n)
        fs_cnt, _, fs_micro, fs_macro = utils_figer.figer_scores(arr, lab)
        cases.append({'logits': logits, 'labels': labels, 'eval_batch_size': batch, 'expected': {
            'accuracy_cnt': int(cnt),
            'erine_accuracy': script['ERINE_accuracy'],
            'cumulative_micro': list(script['ERINE_micro']),
            'cumulative_macro': list(script['ERINE_macro']),
            'whole_micro': list(whole['ERINE_micro']),
            'whole_macro': list(whole['ERINE_macro']),
            'figer_scores': {'cnt': int(fs_cnt), 'loose_micro': list(fs_micro), 'loose_macro': list(fs_macro)},
        }})
    return cases


def tacred_cases(rng, utils_glue, count):
    cases = []
    for k in range(count):
        n = rng.choice([1, 2, 3, 5, 10, 20, 40])
        p_none = rng.choice([0.0, 0.3, 0.6, 0.9, 1.0])
        labels = [28 if rng.random() < p_none else rng.randrange(42) for _ in range(n)]
        logits = logit_rows(rng, n, 42)
        for row, gold in zip(logits, labels):
            if rng.random() < 0.5:
                row[gold] = 3.0  # right, or tied with another 3.0 (argmax takes the first)
            elif rng.random() < 0.3 or k % 10 == 0:
                row[28] = 3.5  # no_relation guessed
        preds = np.argmax(np.array(logits, np.float32), axis=1)  # evaluate(): argmax before the metric
        p, r, f = utils_glue.micro_f1_tacred(preds, np.array(labels))
        cases.append({'logits': logits, 'labels': labels, 'expected': {'precision': p, 'recall': r, 'f1': f}})
    return cases


def cosmosqa_cases(rng, cosmosqa, count):
    cases = []
    for _ in range(count):
        n = rng.choice([1, 2, 3, 8, 16, 50])
        logits = logit_rows(rng, n, 4)
        labels = [rng.randrange(4) for _ in range(n)]
        correct = cosmosqa.accuracy(np.array(logits, np.float32), np.array(labels))
        cases.append({'logits': logits, 'labels': labels,
                      'expected': {'correct': int(correct), 'accuracy': int(correct) / n}})
    return cases


# Pieces of answer text that exercise the normalisation: case, articles, ASCII punctuation (removed)
# next to Unicode punctuation (kept), word boundaries next to non-ASCII letters, digits and marks,
# and Python's notion of whitespace.
PIECES = ['the', 'The', 'THE', 'a', 'A', 'an', 'An', 'cat', 'Cat.', 'dog', "o'neil", 'U.S.', 'u.s', '1,000',
          '1000', 'café', 'CAFÉ', 'naïve', 'Straße', 'İstanbul', 'ΣΟΦΟΣ', 'σοφος', '東京', 'x\u0301', 'the\u0301',
          'théa', 'éthe', 'the\u00e9', 'a_b', 'the_', '_the', '\u2014', '\u2013', '\u00abthe\u00bb', '\u00bfqu\u00e9?',
          '"quoted"', '(paren)', '3.14', '-', 'an-the', 'the2', '2the', '\u00b2the', 'the\u0663', 'ǅx', 'ⅷthe',
          'the\u200d', 'ﬁ', 'ǰ', '']
SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u1680', '\x1c', '\x1f', '\x85',
              '\u200b', '\ufeff', '\u180e', '']


def answer_text(rng):
    parts = [rng.choice(PIECES) for _ in range(rng.randint(0, 5))]
    text = ''
    for part in parts:
        text += rng.choice(SEPARATORS) + part
    return text + (rng.choice(SEPARATORS) if rng.random() < 0.3 else '')


def normalize_cases(rng, utils, count):
    texts = [answer_text(rng) for _ in range(count)]
    return [{'text': t, 'normalized': utils.normalize_answer(t)} for t in texts]


def span_cases(rng, utils, count):
    cases = []
    for _ in range(count):
        n = rng.choice([1, 2, 3, 5, 10])
        predictions, answers = [], []
        for _ in range(n):
            gold = [answer_text(rng) for _ in range(rng.randint(1, 3))]
            prediction = answer_text(rng)
            if rng.random() < 0.5:  # near a gold answer: exact, re-cased, or with words added or dropped
                base = rng.choice(gold)
                prediction = rng.choice([base, base.upper(), base + ' ' + rng.choice(PIECES), ' '.join(base.split()[1:])])
            predictions.append(prediction)
            answers.append(gold)
        em, f1 = utils.AverageMeter(), utils.AverageMeter()
        per_example = []
        for prediction, gold in zip(predictions, answers):
            e = utils.metric_max_over_ground_truths(utils.exact_match_score, prediction, gold)
            f = utils.metric_max_over_ground_truths(utils.f1_score, prediction, gold)
            em.update(e)
            f1.update(f)
            per_example.append([float(e), float(f)])
        cases.append({'predictions': predictions, 'answers': answers,
                      'expected': {'exact_match': float(em.avg), 'f1': float(f1.avg), 'per_example': per_example}})
    return cases


def decode_cases(rng, decode, count):
    cases = []
    while len(cases) < count:
        t = rng.choice([1, 2, 3, 5, 8, 15, 30])
        max_len = rng.choice([None, 1, 3, 15])
        start = [float(np.float32(rng.gauss(0, 2))) for _ in range(t)]
        end = [float(np.float32(rng.gauss(0, 2))) for _ in range(t)]
        limit = max_len or t
        sums = sorted((start[s] + end[e] for s in range(t) for e in range(s, min(t, s + limit))), reverse=True)
        if len(sums) > 1 and sums[0] - sums[1] < 1e-3:
            continue  # a near tie: float32 probability products may order it either way
        score_s = torch.softmax(torch.tensor([start]), dim=1)
        score_e = torch.softmax(torch.tensor([end]), dim=1)
        s_idx, e_idx, _ = decode(score_s, score_e, 1, max_len)
        cases.append({'start': start, 'end': end, 'max_len': max_len,
                      'expected': [int(s_idx[0][0]), int(e_idx[0][0])]})
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official', required=True, help='unpacked microsoft/K-Adapter at ' + OFFICIAL_COMMIT[:7])
    parser.add_argument('--openqa', required=True, help='unpacked thunlp/OpenQA at ' + OPENQA_COMMIT[:7])
    parser.add_argument('--seed', type=int, default=20240901)
    parser.add_argument('--out', required=True)
    args = parser.parse_args()

    utils_glue, utils_figer, figer, cosmosqa = load_official(args.official)
    openqa_utils, decode = load_openqa(args.openqa)
    logging.disable(logging.CRITICAL)  # the scripts log every evaluation
    rng = random.Random(args.seed)
    with contextlib.redirect_stdout(io.StringIO()):  # micro_f1_tacred prints its numbers
        cases = generate(args, rng, utils_glue, utils_figer, figer, cosmosqa, openqa_utils, decode)
    with open(args.out, 'w', encoding='utf8') as f:
        json.dump(cases, f, ensure_ascii=False, separators=(',', ':'))
        f.write('\n')
    counts = {k: len(v) for k, v in cases.items() if isinstance(v, list)}
    print(json.dumps(counts))


def generate(args, rng, utils_glue, utils_figer, figer, cosmosqa, openqa_utils, decode):
    return {
        'generator': 'tools/metric-cases/generate.py',
        'seed': args.seed,
        'sources': {
            'official': 'microsoft/K-Adapter@' + OFFICIAL_COMMIT,
            'openqa': 'thunlp/OpenQA@' + OPENQA_COMMIT,
            'python': sys.version.split()[0], 'torch': torch.__version__, 'numpy': np.__version__,
        },
        'functions': {
            'openentity': 'examples/utils_glue.py entity_typing_accuracy (logits float32 numpy)',
            'figer': 'examples/run_finetune_figer_adapter.py accuracy() and evaluate() (stub model returning '
                     'the logits; eval_batch_size = per_gpu_eval_batch_size, and = N for the whole-set numbers); '
                     'examples/utils_figer.py figer_scores',
            'tacred': 'np.argmax(logits, axis=1) as evaluate() does, then examples/utils_glue.py micro_f1_tacred',
            'cosmosqa': 'examples/run_finetune_cosmosqa_adapter.py accuracy() / N',
            'span': 'OpenQA src/reader/utils.py metric_max_over_ground_truths(exact_match_score | f1_score), '
                    'averaged with its AverageMeter',
            'normalize': 'OpenQA src/reader/utils.py normalize_answer',
            'decode': 'OpenQA src/reader/model.py DocReader.decode(softmax(start), softmax(end), 1, max_len)',
        },
        'openentity': entity_typing_cases(rng, utils_glue, 150),
        'figer': figer_cases(rng, utils_figer, figer, 80),
        'tacred': tacred_cases(rng, utils_glue, 120),
        'cosmosqa': cosmosqa_cases(rng, cosmosqa, 100),
        'normalize': normalize_cases(rng, openqa_utils, 400),
        'span': span_cases(rng, openqa_utils, 150),
        'decode': decode_cases(rng, decode, 80),
    }


if __name__ == '__main__':
    main()
