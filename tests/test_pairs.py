import random
from collections import Counter

from helpers import add_typo, load_catalog, load_templates, training_pairs


def test_pairs_are_deterministic_per_seed():
    assert training_pairs(seed=3) == training_pairs(seed=3)
    assert training_pairs(seed=3) != training_pairs(seed=4)


def test_every_domain_and_refusals_are_present():
    catalog = load_catalog()
    pairs = training_pairs()
    by_columns = Counter(tuple(cols) for _, cols in pairs)
    for columns in catalog.values():
        assert by_columns[tuple(columns)] >= 50
    assert by_columns[()] >= len(load_templates().negatives)


def test_labels_are_catalog_columns_in_catalog_order():
    allowed = {tuple(c) for c in load_catalog().values()} | {()}
    assert all(tuple(cols) in allowed for _, cols in training_pairs())


def test_prompts_vary_in_surface_form():
    prompts = [p for p, _ in training_pairs()]
    assert any(p.isupper() for p in prompts)
    assert any(p.endswith("?") for p in prompts)
    assert any(" 50 rows" in p or " 100 rows" in p for p in prompts)
    assert len(set(prompts)) > 0.9 * len(prompts)


def test_add_typo_changes_one_letter_and_keeps_the_first():
    rng = random.Random(0)
    for word in ["hospital", "restaurant", "weather", "cars"]:
        typo = add_typo(word, rng)
        assert typo != word or word == "cars"  # a swap of two equal letters is still allowed
        assert abs(len(typo) - len(word)) <= 1
        assert typo[0] == word[0]
    assert add_typo("car", rng) == "car"
