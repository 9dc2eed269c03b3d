"""The real-phrasing set (data/real_prompts.json) and how it is scored."""

import json
import zlib

import pytest

from helpers import REAL_KINDS, RealPrompt, best_f1, load_catalog, load_real_prompts, real_report
from helpers.catalog import CatalogError
from helpers.paths import data_file

FIXED = {"awesomedata/awesome-public-datasets": "test", "vincentarelbundock/Rdatasets": "dev"}


def repository(source: str) -> str:
    return "/".join(source.split("github.com/")[1].split("/")[:2])


def test_every_row_names_its_public_source():
    rows = load_real_prompts()
    assert len(rows) >= 200
    assert all(r.source.startswith("https://github.com/") for r in rows)
    assert len({repository(r.source) for r in rows}) >= 40


def test_split_is_by_source_and_follows_the_stated_rule():
    for r in load_real_prompts():
        repo = repository(r.source)
        expected = FIXED.get(repo) or ("test" if zlib.crc32(repo.encode()) % 2 else "dev")
        assert r.split == expected, r.prompt
    dev = {repository(r.source) for r in load_real_prompts("dev")}
    test = {repository(r.source) for r in load_real_prompts("test")}
    assert not dev & test


def test_both_halves_hold_requests_titles_and_refusals():
    for split in ("dev", "test"):
        rows = load_real_prompts(split)
        kinds = {r.kind for r in rows}
        assert {"request", "title", "not a table"} <= kinds <= set(REAL_KINDS)
        assert 0.25 < sum(r.domain is None for r in rows) / len(rows) < 0.6


def test_best_f1_takes_the_closest_acceptable_answer():
    catalog = load_catalog()
    assert best_f1([], (None,)) == 1.0
    assert best_f1(catalog["hospital"], (None,)) == 0.0
    assert best_f1([], ("hospital",)) == 0.0
    assert best_f1(catalog["university"], ("school", "university")) == 1.0
    assert best_f1([], (None, "recipes")) == 1.0


def test_real_report_counts_refusals_as_the_none_rows_are():
    catalog = load_catalog()
    prompts = [RealPrompt("hospital data", ("hospital",), "request", "", "dev"),
               RealPrompt("a haiku", (None,), "not a table", "", "dev"),
               RealPrompt("NYC taxi trips", (None,), "title", "", "dev")]
    answers = {"hospital data": catalog["hospital"], "a haiku": [],
               "NYC taxi trips": catalog["cars"]}
    rep = real_report(answers.get, prompts)
    assert rep["macro_f1"] == pytest.approx(2 / 3)
    assert rep["in_domain_f1"] == 1.0
    assert rep["refused"] == 0.5
    assert [r["f1"] for r in rep["per_prompt"]] == [1.0, 1.0, 0.0]


def test_loader_rejects_bad_rows(tmp_path):
    with pytest.raises(ValueError, match="split"):
        load_real_prompts("train")
    bad = tmp_path / "real.json"
    bad.write_text(json.dumps({"prompts": [{"prompt": "x", "domain": "spaceships",
                                            "kind": "title", "split": "dev"}]}))
    with pytest.raises(CatalogError, match="prompt #0"):
        load_real_prompts(path=bad)


def test_the_file_is_one_row_per_line():
    text = data_file("real_prompts.json").read_text(encoding="utf-8")
    assert text.count('{"prompt":') == len(load_real_prompts())
