"""The exercise solutions must stay correct as helpers evolves."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "notebooks"))
ch01 = pytest.importorskip("solutions.ch01")

import helpers  # noqa: E402


def test_char_ngrams_n_matches_helpers_for_trigrams():
    assert ch01.char_ngrams_n("hospital", 3) == helpers.char_ngrams("hospital")
    assert ch01.char_ngrams_n("ab", 2) == ["<a", "ab", "b>"]


def test_smaller_ngrams_forgive_typos_more():
    o2, o3, o4 = (ch01.ngram_overlap("hospital", "hopsital", n) for n in (2, 3, 4))
    assert o2 > o3 > o4


def test_unk_rate_grows_with_min_freq():
    rates = [ch01.heldout_unk_rate(m) for m in (1, 2, 5)]
    assert rates == sorted(rates) and rates[0] < rates[-1]


def test_decode_batch_drops_padding():
    vocab = helpers.Vocab.build([helpers.tokenize("bank data"), helpers.tokenize("a b")])
    x = helpers.encode_batch(["bank data", "a b"], vocab)
    assert ch01.decode_batch(x, vocab) == [helpers.tokenize("bank data"), helpers.tokenize("a b")]
