import json
from pathlib import Path

import pytest

from helpers import (
    CatalogError,
    data_file,
    load_catalog,
    load_domains,
    load_heldout,
    training_pairs,
)
from helpers.catalog import SNAKE_CASE, complete_table, jaccard, load_templates
from helpers.generate import GENERATORS

REQUIRED = """school university bank credit_card_transactions stock_trades insurance hospital
pharmacy ecommerce inventory customers restaurant hotel airline library movies music real_estate
cars employees job_applicants social_media sports weather logistics support_tickets gym events
iot_sensors web_logs telecom utilities""".split()


def test_catalog_has_every_required_domain_and_at_least_40():
    catalog = load_catalog()
    assert len(catalog) >= 40
    assert not set(REQUIRED) - set(catalog)


def test_every_domain_is_well_formed():
    for d in load_domains():
        assert 4 <= len(d.columns) <= 10, d.id
        assert all(SNAKE_CASE.match(c) for c in d.columns), d.id
        assert len(d.phrases) >= 5, d.id


def test_load_catalog_keeps_catalog_order():
    raw = json.loads(data_file("catalog.json").read_text())
    assert load_catalog()["hospital"] == next(
        e["columns"] for e in raw["domains"] if e["id"] == "hospital"
    )
    assert list(load_catalog()) == [e["id"] for e in raw["domains"]]


def test_columns_come_from_one_shared_vocabulary():
    # the same concept has one name: a person's name is always `name`, never `full_name`
    columns = {c for cols in load_catalog().values() for c in cols}
    assert {"name", "email", "date_of_birth", "price"} <= columns
    assert not {"full_name", "patient_name", "customer_name", "e_mail", "dob"} & columns
    assert sum("name" in cols for cols in load_catalog().values()) >= 10


def write(tmp_path, obj, name="catalog.json"):
    path = tmp_path / name
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return path


GOOD = {"id": "bank", "columns": ["a", "b", "c", "d"], "phrases": list("vwxyz")}


@pytest.mark.parametrize(
    "bad, message",
    [
        ({**GOOD, "columns": ["a", "b", "c"]}, "4 to 10 columns"),
        ({**GOOD, "columns": ["a", "b", "c", "Bad Column"]}, "'Bad Column' is not snake_case"),
        ({**GOOD, "phrases": ["one"]}, "at least 5 phrases"),
        ({"id": "bank", "columns": ["a", "b", "c", "d"]}, "missing phrases"),
        ({**GOOD, "id": "Not An Id"}, "is not a snake_case string"),
    ],
)
def test_malformed_catalog_names_file_and_entry(tmp_path, bad, message):
    path = write(tmp_path, {"domains": [{**GOOD, "id": "school"}, bad]})
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert str(path) in str(err.value)
    assert "domain #1" in str(err.value)
    assert message in str(err.value)


def test_duplicate_domain_ids_are_refused(tmp_path):
    with pytest.raises(CatalogError, match="'bank' appears twice"):
        load_catalog(write(tmp_path, {"domains": [GOOD, GOOD]}))


def test_invalid_json_names_file_and_line(tmp_path):
    path = write(tmp_path, '{"domains": [\n  {"id": "bank",,}\n]}')
    with pytest.raises(CatalogError, match=r"catalog\.json: not valid JSON \(line 2"):
        load_catalog(path)


def test_missing_catalog_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.json"):
        load_catalog(tmp_path / "nowhere.json")


def test_heldout_has_real_requests_and_refusals():
    heldout = load_heldout()
    assert sum(d is not None for _, d in heldout) >= 100
    assert sum(d is None for _, d in heldout) >= 10
    assert len({p for p, _ in heldout}) == len(heldout)


def test_heldout_is_never_trained_on():
    def norm(s):
        return " ".join(s.lower().strip(" ?!.").split())

    trained = {norm(p) for seed in (0, 1) for p, _ in training_pairs(seed)}
    assert not [p for p, _ in load_heldout() if norm(p) in trained]


def test_heldout_rejects_unknown_domain(tmp_path):
    path = write(tmp_path, {"prompts": [{"prompt": "x", "domain": "nope"}]}, "heldout.json")
    with pytest.raises(CatalogError, match="prompt #0: unknown domain 'nope'"):
        load_heldout(path)


def test_templates_file_is_complete():
    t = load_templates()
    assert len(t.verbs) >= 10 and len(t.templates) >= 10 and len(t.negatives) >= 20
    assert all("{phrase}" in template for template in t.templates)


def test_jaccard_on_hand_computed_sets():
    assert jaccard(["a", "b"], ["b", "c"]) == 1 / 3
    assert jaccard(["a"], ["a"]) == 1.0
    assert jaccard([], []) == 0.0


def test_complete_table_fills_in_a_mostly_known_table_only():
    hospital = load_catalog()["hospital"]
    assert complete_table(hospital[:-1]) == hospital  # one column short: the whole table
    assert complete_table(hospital[::-1]) == hospital  # and in catalog order
    scattered = ["email", "isbn", "ticker", "wind_speed_kmh"]
    assert complete_table(scattered) == scattered  # no table is half of it: left alone
    assert complete_table([]) == []


def test_fresh_test_set_is_separate_from_heldout_and_training():
    fresh = load_heldout(data_file("fresh_prompts.json"))
    heldout = {p.lower() for p, _ in load_heldout()}
    assert len(fresh) >= 50 and sum(d is None for _, d in fresh) >= 8
    assert not {p.lower() for p, _ in fresh} & heldout
    trained = {p.lower() for p, _ in training_pairs(0)}
    assert not {p.lower() for p, _ in fresh} & trained


def test_the_readme_states_the_catalog_and_generator_counts():
    """The README's ranges and counts are the data's, not the loader's limits or an old count."""
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())
    domains = load_domains()
    columns = sorted(len(d.columns) for d in domains)
    phrases = sorted(len(d.phrases) for d in domains)
    assert f"{len(domains)} domains" in readme
    assert f"each with {columns[0]} to {columns[-1]} snake_case columns" in readme
    assert f"{phrases[0]} to {phrases[-1]} phrases people use to name it" in readme
    assert f"one of {len(GENERATORS)} generator kinds" in readme
