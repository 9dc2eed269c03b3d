"""Every checker passes the published solution and fails a wrong answer with a hint."""

import sys
from pathlib import Path

import pytest
import torch

import helpers
from helpers.exercises import CHECKERS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "notebooks"))
from solutions import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09  # noqa: E402

SOLUTIONS = {
    "01.1": ch01.char_ngrams_n, "01.3": ch01.decode_batch,
    "02.1": ch02.attention_additive_mask, "02.2": ch02.causal_as_additive,
    "02.3": ch02.mha_parameter_count,
    "03.1": ch03.mean_pool, "03.2": ch03.reference_parameter_count,
    "04.2": ch04.per_domain_f1, "05.1": ch05.cls_attention_by_word, "06.2": ch06.is_valid_luhn,
    "07.3": ch07.threshold_refusing_all, "08.1": ch08.beam_search,
    "09.1": ch09.add_columns_endpoint, "09.2": ch09.batch_generate,
}


def peeking_mask(seq):
    return torch.ones(seq, seq, dtype=torch.bool)  # every token sees every other: the future too


WRONG = {  # (a plausible mistake, words the hint must contain)
    "01.1": (lambda w, n: [w[i:i + n] for i in range(len(w) - n + 1)], "start and end"),
    "01.3": (lambda x, vocab: [vocab.decode(row.tolist()) for row in x], "[PAD]"),
    "02.1": (lambda q, k, v, mask: (q @ k.transpose(-2, -1) + mask).softmax(-1) @ v, "scaled"),
    "02.2": (peeking_mask, "see the future"),
    "02.3": (lambda e: 4 * e * e, "bias"),
    "03.1": (lambda hidden, ids, pad: hidden.mean(1), "padding"),
    "03.2": (lambda v, c, e: v * e + c * e, "parameters"),
    "04.2": (lambda report: {r["domain"]: r["f1"] for r in report["per_prompt"]}, "non-dataset"),
    "05.1": (lambda prompt: {"[CLS]": 1.0}, "one entry per word"),
    "06.2": (lambda number: sum(map(int, number)) % 10 == 0, "second digit"),
    "07.3": (lambda probs: 0.5, "not every non-dataset prompt"),
    "08.1": (lambda prompt, width=3: ["name"], "greedy"),
    "09.1": (lambda app: app, "answered 404"),
    "09.2": (lambda client, prompts, rows=5: {}, "skip the one answered with 400"),
}


def test_every_checker_has_a_solution_and_a_wrong_answer():
    assert set(CHECKERS) == set(SOLUTIONS) == set(WRONG)


@pytest.mark.parametrize("exercise", sorted(CHECKERS))
def test_the_solution_is_right(exercise, capsys):
    assert helpers.check(exercise, SOLUTIONS[exercise]) is True
    assert f"right ({exercise})" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", sorted(CHECKERS))
def test_a_wrong_answer_gets_a_hint(exercise, capsys):
    wrong, hint_words = WRONG[exercise]
    assert helpers.check(exercise, wrong) is False
    out = capsys.readouterr().out
    assert out.startswith(f"not yet ({exercise}):") and hint_words in out, out


def test_an_answer_that_crashes_is_a_hint_not_a_traceback(capsys):
    def broken(word, n):
        raise IndexError("list index out of range")

    assert helpers.check("01.1", broken) is False
    assert "raised IndexError" in capsys.readouterr().out


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(ValueError, match="01.1"):
        helpers.check("99.9", print)
