"""Training on a small slice: deterministic, and it actually learns."""

import torch

from helpers import TrainConfig, load_catalog, train_schema_predictor, training_pairs

SMALL = dict(epochs=3, progress=False)


def small_pairs():
    keep = {"hospital", "bank", "cars", "weather"}
    catalog = load_catalog()
    wanted = [tuple(catalog[d]) for d in keep] + [()]
    return [(p, c) for p, c in training_pairs(0) if tuple(c) in wanted]


def test_same_seed_same_model():
    a = train_schema_predictor(small_pairs(), TrainConfig(**SMALL), embed_dim=16, num_heads=2)
    b = train_schema_predictor(small_pairs(), TrainConfig(**SMALL), embed_dim=16, num_heads=2)
    for (name, x), (_, y) in zip(a.model.state_dict().items(), b.model.state_dict().items(),
                                 strict=True):
        assert torch.equal(x, y), name
    assert a.history == b.history


def test_loss_falls_and_history_is_recorded():
    result = train_schema_predictor(small_pairs(), TrainConfig(**SMALL), embed_dim=16,
                                    num_heads=2)
    losses = [h["train_loss"] for h in result.history]
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert 0 < result.threshold < 1
    assert set(result.history[0]) == {"epoch", "train_loss", "val_loss", "val_f1"}


def test_weight_decay_shrinks_the_weights():
    def norm(weight_decay):
        cfg = TrainConfig(weight_decay=weight_decay, **SMALL)
        result = train_schema_predictor(small_pairs(), cfg, embed_dim=16, num_heads=2)
        return sum(p.norm() ** 2 for p in result.model.parameters()).item()

    assert norm(1.0) < norm(0.0)
