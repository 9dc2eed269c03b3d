import random
from collections import Counter

import pytest

from helpers import (
    PERTURBATIONS,
    add_typo,
    load_catalog,
    load_domains,
    load_templates,
    perturb,
    training_pairs,
)


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


def test_augmentation_rates_switch_each_ingredient_off():
    plain = training_pairs(0, per_domain=10, typo_rate=0, mention_rate=0, noise_rate=0,
                           context_rate=0, description_rate=0)
    rich = training_pairs(0, per_domain=10)
    templates = load_templates()
    purposes = [p for p in templates.purposes if len(p.split()) > 1]
    def with_purpose(pairs):
        return sum(any(p in prompt.lower() for p in purposes) for prompt, cols in pairs if cols)
    assert with_purpose(plain) == 0 < with_purpose(rich)
    mentions = ("with columns", "including", "containing", "with fields for")
    assert not any(m in p.lower() for p, c in plain if c for m in mentions)
    assert len(plain) == len(rich)  # rates change the prompts, never how many there are


def test_contexts_wrap_the_request_and_name_a_purpose():
    templates = load_templates()
    assert all("{prompt}" in c for c in templates.contexts)
    assert any("{purpose}" in c for c in templates.contexts)
    phrases = {p for d in load_domains() for p in d.words}
    assert not phrases & set(templates.purposes), "a purpose must not name a domain"


def test_new_shapes_appear_and_the_older_recipe_is_unchanged():
    from helpers import BEFORE_REAL_PHRASINGS
    pairs = training_pairs(0, per_domain=20)
    lowered = [p.lower() for p, c in pairs if c]
    assert any("dataset contains" in p or "each row" in p for p in lowered)  # descriptions
    assert any("seed" in p or "mock" in p or "fixtures" in p for p in lowered)  # tickets
    topics = load_templates().off_topics
    refused = [p.lower() for p, c in pairs if not c]
    assert sum(any(t in p for t in topics) for p in refused) >= len(topics) * 3
    # the older recipe (the decoder's data) draws the same prompts as before these shapes
    older = training_pairs(0, per_domain=20, **BEFORE_REAL_PHRASINGS)
    assert len(older) == 20 * len(load_domains()) + 5 * len(load_templates().negatives) + 50
    assert not any("dataset contains" in p.lower() for p, _ in older)


def test_vocabulary_never_names_two_domains():
    seen: dict[str, str] = {}
    for d in load_domains():
        for phrase in d.words:
            assert seen.setdefault(phrase, d.id) == d.id, f"{phrase!r}: {seen[phrase]}, {d.id}"
    assert all(len(d.words) >= 15 for d in load_domains())


def test_perturbations_are_deterministic_and_do_what_they_say():
    prompt = "list of hospital patients with their diagnoses"
    for kind in PERTURBATIONS:
        assert perturb(prompt, kind) == perturb(prompt, kind)
    assert perturb(prompt, "upper case") == prompt.upper()
    assert sorted(perturb(prompt, "shuffled").split()) == sorted(prompt.split())
    assert len(perturb(prompt, "filler words").split()) > len(prompt.split())
    typoed = perturb(prompt, "typos").split()
    assert len(typoed) == len(prompt.split()) and typoed != prompt.split()


def test_unknown_perturbation_names_the_choices():
    with pytest.raises(ValueError, match="typos"):
        perturb("a bank table", "reversed")
