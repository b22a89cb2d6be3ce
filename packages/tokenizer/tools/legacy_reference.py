"""Reference token lists from the official tokenizer (pytorch_transformers 1.2 vendored in
microsoft/K-Adapter), for the legacy-mode tests of @kadapter/tokenizer.

Usage: /usr/bin/python3 tools/legacy_reference.py <K-Adapter checkout> <vocab.json> <merges.txt> < texts.json
Prints {"tokens": [[...], ...]} = RobertaTokenizer.tokenize(text) for every text of the input JSON array.
Needs only the `regex` and `six` modules: the vendored file_utils (boto3, requests, tqdm) is stubbed.
"""
import importlib.util
import json
import sys
import types

root, vocab, merges = sys.argv[1], sys.argv[2], sys.argv[3]
pkg = types.ModuleType('pytorch_transformers')
pkg.__path__ = [root + '/pytorch_transformers']
sys.modules['pytorch_transformers'] = pkg
file_utils = types.ModuleType('pytorch_transformers.file_utils')
file_utils.cached_path = lambda path, **kwargs: path
sys.modules['pytorch_transformers.file_utils'] = file_utils


def load(name):
    spec = importlib.util.spec_from_file_location('pytorch_transformers.' + name, f'{root}/pytorch_transformers/{name}.py')
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


load('tokenization_utils')
load('tokenization_gpt2')
tok = load('tokenization_roberta').RobertaTokenizer(vocab, merges)
texts = json.load(sys.stdin)
json.dump({'tokens': [tok.tokenize(t) for t in texts]}, sys.stdout, ensure_ascii=False)
