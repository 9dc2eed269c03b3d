"""Every checker passes the published solution and fails a wrong answer with a hint."""

import json
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
import torch

import helpers
from helpers import generate, paths
from helpers.checks_model import cls_weight_per_word
from helpers.exercises import CHECKERS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "notebooks"))
from solutions import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch10  # noqa: E402

SOLUTIONS = {
    "01.1": ch01.char_ngrams_n, "01.2": ch01.heldout_unk_rate, "01.3": ch01.decode_batch,
    "02.1": ch02.attention_additive_mask, "02.2": ch02.causal_as_additive,
    "02.3": ch02.mha_parameter_count,
    "03.1": ch03.mean_pool, "03.2": ch03.reference_parameter_count,
    "03.3": ch03.order_changes_logits,
    "04.2": ch04.per_domain_f1, "04.3": ch04.threshold_effect,
    "05.1": ch05.cls_attention_by_word, "05.3": ch05.first_block_cls,
    "06.1": ch06.tier_shares, "06.2": ch06.is_valid_luhn,
    "06.3": ch06.folded_last_names_in_emails,
    "07.1": ch07.NearestPromptBaseline, "07.2": ch07.hardest_under_typos,
    "07.3": ch07.threshold_refusing_all, "08.1": ch08.beam_search,
    "09.1": ch09.add_columns_endpoint, "09.2": ch09.batch_generate,
    "10.1": ch10.bio_to_spans, "10.2": ch10.count_words,
}


def peeking_mask(seq):
    return torch.ones(seq, seq, dtype=torch.bool)  # every token sees every other: the future too


def one_threshold_for_all(thresholds=(0.4, 0.7)):
    """Forgets to pass the threshold on: every row scores the default."""
    report = helpers.heldout_report(helpers.predict_columns)
    return pd.DataFrame({"macro_f1": report["macro_f1"], "refused": report["rejected"]},
                        index=list(thresholds))


def final_cls(prompts):
    trained = helpers.load_model()
    return trained.model.encode(trained.encode(prompts))[0][:, 0]  # after every block


def hardest_without_typos(k=3):
    """Forgets the perturbation: ranks the domains on the clean prompts."""
    scores = ch04.per_domain_f1(helpers.heldout_report(helpers.predict_columns))
    return sorted(scores.items(), key=lambda kv: kv[1])[:k]


class FirstPromptBaseline:  # ignores the prompt
    def fit(self, pairs):
        self.columns = list(pairs[0][1])
        return self

    def predict_columns(self, prompt):
        return self.columns


WRONG = {  # (a plausible mistake, words the hint must contain)
    "01.1": (lambda w, n: [w[i:i + n] for i in range(len(w) - n + 1)], "start and end"),
    "01.2": (lambda min_freq: 0.0, "not from the held-out ones"),
    "01.3": (lambda x, vocab: [vocab.decode(row.tolist()) for row in x], "[PAD]"),
    "02.1": (lambda q, k, v, mask: (q @ k.transpose(-2, -1) + mask).softmax(-1) @ v, "scaled"),
    "02.2": (peeking_mask, "see the future"),
    "02.3": (lambda e: 4 * e * e, "bias"),
    "03.1": (lambda hidden, ids, pad: hidden.mean(1), "padding"),
    "03.2": (lambda v, c, e: v * e + c * e, "parameters"),
    "03.3": (lambda positions, seed=0: True, "bag of tokens"),
    "04.2": (lambda report: {r["domain"]: r["f1"] for r in report["per_prompt"]}, "non-dataset"),
    "04.3": (one_threshold_for_all, "pass the threshold on"),
    "05.1": (lambda prompt: {"[CLS]": 1.0}, "one entry per word"),
    "05.3": (final_cls, "after every block"),
    "06.1": (ch06.tier_shares, "not in data/generators.json yet"),  # data/ not edited
    "06.2": (lambda number: sum(map(int, number)) % 10 == 0, "second digit"),
    "06.3": (lambda rows=1000: 0.5, "folded last name"),
    "07.1": (FirstPromptBaseline, "nearest prompt is itself"),
    "07.2": (hardest_without_typos, "perturb every prompt"),
    "07.3": (lambda probs: 0.05, "not every non-dataset prompt"),
    "08.1": (lambda prompt, width=3: ["name"], "greedy"),
    "09.1": (lambda app: app, "answered 404"),
    "09.2": (lambda client, prompts, rows=5: {}, "skip the one answered with 400"),
    "10.1": (lambda tags: [("COL", i, i + 1) for i, t in enumerate(tags) if t != "O"], "span"),
    "10.2": (lambda text: int(text) if text.isdigit() else None, "count_words"),
}


def test_every_checker_has_a_solution_and_a_wrong_answer():
    assert set(CHECKERS) == set(SOLUTIONS) == set(WRONG)


@pytest.fixture
def data_edits(request, tmp_path, monkeypatch):
    """Exercise 06.1 is answered by editing data/: make its edits on a copy."""
    if request.node.callspec.params["exercise"] == "06.1":
        data = shutil.copytree(paths.data_dir(), tmp_path / "data")
        for name, section, value in [("values.json", "values", {"bronze": 70, "silver": 25,
                                                                 "gold": 5}),
                                     ("generators.json", "columns", {"kind": "choice"})]:
            spec = json.loads((data / name).read_text())
            spec[section]["loyalty_tier"] = value
            (data / name).write_text(json.dumps(spec))
        monkeypatch.setenv("HELPERS_DATA_DIR", str(data))
    reread_data()
    yield
    reread_data()


def reread_data():
    """Forget the data/ files read so far, so the next call reads them afresh."""
    generate.load_generator_specs.cache_clear()
    generate.load_values.cache_clear()


@pytest.mark.parametrize("exercise", sorted(CHECKERS))
def test_the_solution_is_right(exercise, data_edits, capsys):
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


def test_the_readme_counts_the_graded_exercises():
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    notebooks = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    blocks = ["".join(json.loads(nb.read_text())["cells"][-1]["source"]).split("## Exercises")[1]
              for nb in notebooks]
    total = sum(len(re.findall(r"^\d\. ", block, flags=re.M)) for block in blocks)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert f"{len(CHECKERS)} of the {total} exercises grade themselves" in readme
    others = "one two three four five six seven eight nine ten".split()[total - len(CHECKERS) - 1]
    assert f"The other {others} " in " ".join(readme.split())  # the rest, discussed in class


@pytest.mark.parametrize(("wrong", "hint_words"), [
    # the right keys, summing to 1, all on [CLS]: the weights themselves must be checked
    (lambda p: {"[CLS]": 1.0, **{w: 0.0 for w in helpers.words(p)}}, "are off"),
    (lambda p: cls_weight_per_word(p, layer=0), "first layer"),
    # one entry per position: a word said twice keeps only its last position's weight
    (lambda p: dict(zip(["[CLS]", *helpers.words(p)],
                        helpers.attention_maps(p)[1][-1][:, 0].mean(0).tolist(), strict=True)),
     "said twice"),
])
def test_cls_attention_by_word_compares_the_weights(wrong, hint_words, capsys):
    assert helpers.check("05.1", wrong) is False
    out = capsys.readouterr().out
    assert hint_words in out, out
