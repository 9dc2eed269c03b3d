"""data/joint_cost.json (scripts/joint_cost.py): its summary follows from its runs, its joint
seed 0 is the shipped model, and the README quotes its means."""

import importlib.util
import json
from pathlib import Path

import pytest

from helpers import data_file, heldout_report, load_heldout, load_model, predict_columns

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("joint_cost", ROOT / "scripts" / "joint_cost.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def doc():
    return json.loads(data_file("joint_cost.json").read_text(encoding="utf-8"))


def test_every_recipe_has_every_seed(script, doc):
    for recipe in script.RECIPES:
        assert sorted(r["seed"] for r in doc["runs"] if r["recipe"] == recipe) == doc["seeds"]


def test_summary_is_the_runs_summarised(script, doc):
    assert doc["summary"] == script.summarise(doc["runs"])


def test_joint_seed_0_is_the_shipped_model(doc):
    """The shipped checkpoint is the joint recipe's seed 0: its fresh figure must match."""
    run = next(r for r in doc["runs"] if r["recipe"] == "joint" and r["seed"] == 0)
    model = load_model()
    fresh = load_heldout(data_file("fresh_prompts.json"))
    got = heldout_report(lambda p: predict_columns(p, model=model), fresh)["macro_f1"]
    assert run["threshold"] == model.threshold
    assert got == pytest.approx(run["fresh_macro_f1"])


def test_readme_quotes_the_means(doc):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = " ".join(readme.split())  # the figures may wrap across lines
    alone, joint = (next(s for s in doc["summary"] if s["recipe"] == r)
                    for r in ("table head only", "joint"))
    for row in (alone, joint):
        fresh = (f"{row['fresh_macro_f1_mean']:.3f} ({row['fresh_macro_f1_min']:.3f}-"
                 f"{row['fresh_macro_f1_max']:.3f})")
        assert fresh in readme, fresh
        assert f"{row['heldout_macro_f1_mean']:.3f}" in readme
