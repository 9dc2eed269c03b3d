"""Reading the whole prompt (notebook 10): slots, tagged pairs, the rule reader, the tag head,
and what the CLI and the pipeline do with a reading."""

from __future__ import annotations

import pandas as pd
import pytest
import torch

import helpers
from helpers.catalog import load_catalog
from helpers.model import ModelConfig, SchemaPredictor
from helpers.reading_scores import ReadingPrompt, load_reading_prompts, reading_report
from helpers.rule_reader import rule_tags
from helpers.slots import (
    TAGS,
    PromptReading,
    column_name_for,
    locale_for,
    parse_count,
    read_spans,
    spans,
)
from helpers.tagged_pairs import number_words, tagged_pairs
from helpers.tokenizer import words

CUSTOMERS = load_catalog()["customers"]
EMPLOYEES = load_catalog()["employees"]


@pytest.mark.parametrize("text, count", [
    ("50", 50), ("1,000", 1000), ("two hundred", 200), ("a dozen", 12), ("two dozen", 24),
    ("eight thousand", 8000), ("Hundred", 100), ("twenty five", 25), ("10k", 10000),
    ("some", None), ("a few", None), ("12.5", None),
])
def test_parse_count(text, count):
    assert parse_count(text) == count


@pytest.mark.parametrize("n", [1, 12, 20, 45, 100, 250, 1000, 2500, 10000])
def test_number_words_read_back(n):
    assert parse_count(number_words(n)) == n


@pytest.mark.parametrize("text, locale", [
    ("German", "de_DE"), ("Berlin", "de_DE"), ("from Japan", "ja_JP"), ("New York", "en_US"),
    ("Spanish-speaking", "es_ES"), ("in French", "fr_FR"), ("London", "en_GB"), ("Rome", "it_IT"),
    ("Shanghai", "zh_CN"), ("Chinese", "zh_CN"), ("Lima", None), ("Peru", None),
])
def test_locale_for(text, locale):
    assert locale_for(text) == locale


@pytest.mark.parametrize("text, column", [
    ("phone number", "phone"), ("birthday", "date_of_birth"), ("the VIN", "vin"),
    ("manager", "manager_id"), ("position", "job_title"), ("doctor's name", "doctor_name"),
    ("emails", "email"), ("wind speed", "wind_speed_kmh"), ("eruption date", "eruption_date"),
    ("year built", "year_built"), ("the", None),
])
def test_column_name_for_prefers_the_tables_own_columns(text, column):
    assert column_name_for(text, EMPLOYEES) == column


@pytest.mark.parametrize("text, column", [
    ("phone number", "phone"), ("birthday", "date_of_birth"), ("temperature", "temperature_c"),
    ("salary", "salary"), ("length", "length"), ("manager", "manager"), ("runtime", "runtime"),
    ("number of lifts", "number_of_lifts"),
])
def test_a_table_of_its_own_keeps_its_words_but_for_shared_columns(text, column):
    assert column_name_for(text) == column


def test_spans_merge_touching_words_and_split_at_breaks():
    tags = ["O", "B-ROWS", "I-ROWS", "O", "B-COL", "B-COL", "B-COL"]
    assert spans(tags) == [("ROWS", 1, 3), ("COL", 4, 7)]
    assert spans(tags, breaks={6}) == [("ROWS", 1, 3), ("COL", 4, 6), ("COL", 6, 7)]


def tags_for(prompt: str, marked: dict[str, str]) -> list[str]:
    """O for every word, except the words given: {'50': 'B-ROWS', ...}."""
    return [marked.get(w.group().lower(), "O") for w in helpers.slots.raw_words(prompt)]


def test_read_spans_adds_drops_and_keeps_the_evidence():
    prompt = "50 customers with birthday, no address, in Berlin"
    tags = tags_for(prompt, {"50": "B-ROWS", "birthday": "B-COL", "address": "B-NOT",
                             "berlin": "B-LOC"})
    r = read_spans(prompt, tags, "customers", CUSTOMERS)
    assert (r.rows, r.locale, r.added, r.dropped) == (50, "de_DE", ["date_of_birth"], ["address"])
    assert r.columns == [c for c in CUSTOMERS if c != "address"] + ["date_of_birth"]
    assert r.evidence == {"rows": "50", "locale": "Berlin", "+date_of_birth": "birthday",
                          "-address": "address"}
    assert r.summary() == "read: 50 rows, de_DE, +date_of_birth, -address"


def test_only_keeps_exactly_the_named_columns():
    prompt = "customers, only name and email"
    tags = tags_for(prompt, {"only": "B-ONLY", "name": "B-COL", "email": "B-COL"})
    r = read_spans(prompt, tags, "customers", CUSTOMERS)
    assert r.columns == ["name", "email"]
    assert set(r.dropped) == set(CUSTOMERS) - {"name", "email"}


def test_named_columns_make_a_table_only_from_three_on():
    three = "comets with name, period and discoverer"
    tags = tags_for(three, {"name": "B-COL", "period": "B-COL", "discoverer": "B-COL"})
    assert read_spans(three, tags, None, []).columns == ["name", "period", "discoverer"]
    two = "comets with name and period"
    tags = tags_for(two, {"name": "B-COL", "period": "B-COL"})
    assert read_spans(two, tags, None, []).columns == []  # still refused


def test_tagged_pairs_tag_every_word_and_cover_every_slot():
    pairs = tagged_pairs(seed=0)
    assert pairs == tagged_pairs(seed=0) and pairs != tagged_pairs(seed=1)
    assert all(len(words(p)) == len(tags) for p, _, tags in pairs)
    used = {t for _, _, tags in pairs for t in tags}
    assert used == set(TAGS)
    assert any(not cols and any(t == "B-COL" for t in tags) for _, cols, tags in pairs)


def test_rule_reader_tags():
    prompt = "a dozen used cars with color, leave out the VIN, from Munich"
    got = dict(zip(words(prompt), rule_tags(prompt), strict=True))
    assert got["a"] == "B-ROWS" and got["dozen"] == "I-ROWS"
    assert got["color"] == "B-COL" and got["vin"] == "B-NOT" and got["munich"] == "B-LOC"
    assert rule_tags("movies from 1990")[2] == "O"  # a year is not a row count


def test_tag_head_shapes_and_gradient_share():
    cfg = ModelConfig(vocab_size=30, num_columns=5, num_tags=len(TAGS), tag_share=0.0)
    model = SchemaPredictor(cfg).eval()
    ids = torch.randint(3, 30, (2, 7, 4))  # (batch, seq, pieces)
    columns, tags = model.read(ids)
    assert columns.shape == (2, 5) and tags.shape == (2, 7, len(TAGS))
    assert torch.allclose(columns, model(ids))
    tags.sum().backward()  # tag_share 0: the encoder hears nothing of the tag loss
    assert model.blocks[0].attn.q_proj.weight.grad is None or \
        model.blocks[0].attn.q_proj.weight.grad.abs().sum() == 0
    assert model.tagger.proj.weight.grad.abs().sum() > 0


def test_a_model_without_tag_head_says_so():
    model = SchemaPredictor(ModelConfig(vocab_size=30, num_columns=5))
    with pytest.raises(ValueError, match="no tag head"):
        model.read(torch.randint(3, 30, (1, 4)))


def test_reading_report_scores_a_perfect_and_an_empty_reader():
    prompts = [ReadingPrompt("50 customers without phone", "customers", 50, None, (),
                             ("phone",))]
    perfect = reading_report(lambda p: PromptReading(
        p, [c for c in CUSTOMERS if c != "phone"], "customers", 50, dropped=["phone"]), prompts)
    assert perfect["exact_match"] == 1.0 and perfect["slots"]["rows"]["f1"] == 1.0
    empty = reading_report(lambda p: PromptReading(p, list(CUSTOMERS), "customers"), prompts)
    assert empty["exact_match"] == 0.0 and empty["slots"]["dropped"]["recall"] == 0.0


def test_reading_prompts_halves():
    dev, test = load_reading_prompts("dev"), load_reading_prompts("test")
    assert len(test) >= 60 and len(dev) >= 60
    assert not {p.prompt for p in dev} & {p.prompt for p in test}
    with pytest.raises(ValueError, match="split"):
        load_reading_prompts("train")


# --- the shipped model: the must-shows -------------------------------------------

def test_fifty_german_customers():
    r = helpers.read_prompt("generate 50 German customers")
    assert (r.rows, r.locale, r.table) == (50, "de_DE", "customers")
    assert r.evidence["rows"] == "50" and r.evidence["locale"] == "German"


def test_employees_with_phone_but_no_manager():
    r = helpers.read_prompt("employees with their phone number but no manager")
    assert "phone" in r.columns and "manager_id" not in r.columns
    assert r.table == "employees"


def test_a_table_the_catalog_lacks_is_made_of_its_named_columns():
    prompt = "a table of chess tournaments with player name, rating, round and country"
    table = helpers.generate_dataset(prompt, rows=50, seed=0)
    assert list(table.columns) == ["player_name", "rating", "round", "country"]
    assert table["player_name"].str.contains(" ").all()  # people's names
    assert pd.api.types.is_numeric_dtype(table["rating"])
    assert pd.api.types.is_integer_dtype(table["round"]) and table["round"].between(1, 20).all()
    assert table["country"].str.len().gt(2).all()


def test_cli_reads_rows_and_locale_and_says_so(tmp_path, capsys):
    from helpers.__main__ import main

    out = tmp_path / "customers.csv"
    assert main(["generate", "generate 50 German customers", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert len(table) == 50 and list(table.columns) == load_catalog()["customers"]
    assert (table["country"] == "Germany").all()
    assert "read: 50 rows, de_DE" in capsys.readouterr().err
    assert main(["generate", "generate 50 German customers", "--rows", "3", "--locale", "fr_FR",
                 "--out", str(out), "--force"]) == 0  # the flags override the prompt, and say so
    table = pd.read_csv(out)
    assert len(table) == 3 and (table["country"] == "France").all()
    err = capsys.readouterr().err
    assert "--rows 3 overrides the prompt's 50" in err
    assert "--locale fr_FR overrides the prompt's de_DE" in err


def test_zero_rows_is_an_error_not_an_empty_table(capsys):
    from helpers.__main__ import main

    assert main(["generate", "0 rows of customers"]) == 2
    assert "asks for 0 rows" in capsys.readouterr().err
