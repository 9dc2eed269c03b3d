"""The real texts of #24: sources and licences kept, test sets kept apart, spans read right."""

from __future__ import annotations

import re

import pytest
import torch

import helpers
from helpers.catalog import read_json
from helpers.model import ModelConfig, SchemaPredictor
from helpers.paths import data_file
from helpers.real_texts import (
    load_real_test,
    load_real_texts,
    real_pairs,
    repository,
    spans_to_tags,
)
from helpers.tokenizer import words

# Licences that allow copying text into an MIT repository (no copyleft, no share-alike, no NC/ND)
PERMISSIVE = {"MIT", "MIT-0", "MIT OR Apache-2.0", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause",
              "ISC", "0BSD", "Unlicense", "CC0-1.0", "CC-BY-2.0", "CC-BY-3.0", "CC-BY-4.0",
              "ODC-PDDL-1.0", "ODC-BY-1.0", "PDDL-1.0"}


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_enough_texts_with_source_and_permissive_licence():
    train, test = load_real_texts("train"), load_real_texts(name="real_test.json")
    assert len(train) >= 2000 and len(test) >= 200
    for t in [*train, *test]:
        assert t.source.startswith("https://github.com/"), t.source
        assert t.licence in PERMISSIVE, (t.licence, t.source)


def test_both_sides_of_the_label_are_present():
    train = load_real_texts("train")
    nulls = sum(t.domain is None for t in train)
    assert 0.2 < nulls / len(train) < 0.5  # refusals learn from real text, tables still dominate
    assert len({t.domain for t in train} - {None}) >= 40  # nearly every catalog table


def test_test_sets_share_no_repository_and_no_text_with_training():
    train = {repository(t.source) for t in load_real_texts()}
    frozen = {repository(t.source) for t in load_real_texts(name="real_test.json")}
    older = {repository(p.source) for p in helpers.load_real_prompts()}
    assert not train & frozen and not train & older and not frozen & older
    seen = {norm(t.prompt) for t in load_real_texts("train")}
    others = [p.prompt for p in helpers.load_real_prompts()] + [p.prompt for p in load_real_test()]
    others += [p for p, _ in helpers.load_heldout()]
    others += [p for p, _ in helpers.load_heldout(data_file("fresh_prompts.json"))]
    others += [p["prompt"] for p in read_json(data_file("reading_prompts.json"))["prompts"]]
    assert not seen & {norm(p) for p in others}


def test_tagged_requests_held_out_come_from_repositories_never_trained_on():
    held = [t for t in load_real_texts("test")]
    assert len(held) >= 60 and all(t.spans is not None for t in held)
    trained = {repository(t.source) for t in load_real_texts("train")}
    assert not {repository(t.source) for t in held} & trained


def test_spans_become_one_bio_tag_per_word():
    prompt = "Generate 50 German users with phone number and email, but no address"
    spans = {"ROWS": ["50"], "LOC": ["German"], "COL": ["phone number", "email"],
             "NOT": ["address"]}
    assert spans_to_tags(prompt, spans) == ["O", "B-ROWS", "B-LOC", "O", "O", "B-COL", "I-COL",
                                            "O", "B-COL", "O", "O", "B-NOT"]


def test_spans_match_whole_words_only_and_longest_first():
    assert spans_to_tags("names and name", {"COL": ["name"]}) == ["O", "O", "B-COL"]
    tags = spans_to_tags("phone number or phone", {"COL": ["phone", "phone number"]})
    assert tags == ["B-COL", "I-COL", "O", "B-COL"]


def test_every_tagged_text_has_a_tag_per_word_and_uses_its_spans():
    for t in load_real_texts():
        if t.spans is None:
            continue
        tags = spans_to_tags(t.prompt, t.spans)
        assert len(tags) == len(words(t.prompt))
        marked = sum(tag.startswith("B-") for tag in tags)
        assert marked >= min(1, sum(map(len, t.spans.values()))), t.prompt


def test_real_pairs_label_with_catalog_columns_or_none():
    texts = load_real_texts("train")
    catalog = helpers.load_catalog()
    for t, pair in zip(texts, real_pairs(texts), strict=True):
        assert pair[0] == t.prompt
        assert pair[1] == (list(catalog[t.domain]) if t.domain else [])
        assert (len(pair) == 3) == (t.spans is not None)


def test_a_bad_row_gets_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "real_texts.json"
    bad.write_text('{"texts": [{"prompt": "x", "domain": "nowhere", "kind": "title", '
                   '"source": "s", "licence": "MIT"}]}')
    monkeypatch.setattr("helpers.real_texts.data_file", lambda name: bad)
    with pytest.raises(helpers.CatalogError, match="catalog domains"):
        load_real_texts(name="real_texts_bad.json")


def test_wide_path_starts_silent_and_ignores_padding():
    cfg = ModelConfig(vocab_size=50, num_columns=7, wide=8)
    model = SchemaPredictor(cfg).eval()
    ids = torch.tensor([[[2, 0], [5, 9], [6, 0]]])  # (1, seq, pieces): [CLS], two words
    assert torch.equal(model.wide(ids), torch.zeros(1, 7))  # read-out starts at zero
    torch.nn.init.normal_(model.wide.proj.weight)
    padded = torch.cat([ids, torch.zeros(1, 2, 2, dtype=torch.long)], 1)  # two [PAD] positions
    assert torch.allclose(model.wide(ids), model.wide(padded), atol=1e-6)
    assert model(ids).shape == (1, 7)


def test_held_out_requests_read_as_reading_prompts():
    prompts = helpers.real_reading_prompts("test")
    assert len(prompts) == len(load_real_texts("test"))
    catalog = helpers.load_catalog()
    for p in prompts:
        assert p.table is None or p.table in catalog
        assert p.rows is None or (isinstance(p.rows, int) and p.rows > 0)
        assert p.locale in (None, *helpers.LOCALES)
        assert not set(p.dropped) - set(catalog.get(p.table, ()))  # only the table's columns
