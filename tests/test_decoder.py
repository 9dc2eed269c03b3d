"""The GPT-style decoder: positions, the causal mask, resume, decoding rules, the shipped model."""

import json
import math
import subprocess
import sys

import pytest
import torch

import helpers
from helpers.decoder import END, SEP
from helpers.decoder_training import build_decoder_vocab, encode_sequences, output_columns

SMALL = dict(embed_dim=16, num_heads=2, num_layers=1, ff_dim=32)


def test_positional_encoding_shape_and_values():
    pe = helpers.sinusoidal_positions(50, 8)
    assert pe.shape == (50, 8)
    assert torch.equal(pe[0], torch.tensor([0.0, 1.0] * 4))
    assert pe[1, 0].item() == pytest.approx(math.sin(1.0))
    assert pe[1, 1].item() == pytest.approx(math.cos(1.0))
    assert pe[3, 2].item() == pytest.approx(math.sin(3 / 10000 ** (2 / 8)), abs=1e-6)
    assert pe.abs().max() <= 1.0


def test_no_position_sees_the_future():
    torch.manual_seed(0)
    model = helpers.SchemaDecoder(helpers.DecoderConfig(vocab_size=30, **SMALL)).eval()
    ids = torch.tensor([[3, 4, 5, 6, 7, 8, 9]])
    for changed_at in range(1, 7):
        other = ids.clone()
        other[0, changed_at] = 20
        with torch.no_grad():
            a, attn = model(ids)
            b, _ = model(other)
        assert torch.equal(a[0, :changed_at], b[0, :changed_at]), changed_at
        assert not torch.allclose(a[0, changed_at:], b[0, changed_at:])
    upper = torch.ones(7, 7, dtype=torch.bool).triu(1)
    assert (attn[0][0][:, upper] == 0).all()  # weights above the diagonal are exactly zero


def test_too_long_sequence_is_a_clear_error():
    model = helpers.SchemaDecoder(helpers.DecoderConfig(vocab_size=30, max_len=8, **SMALL))
    with pytest.raises(ValueError, match="max_len"):
        model(torch.ones(1, 9, dtype=torch.long))


def test_only_the_schema_part_is_scored():
    pairs = [("a hospital table", helpers.load_catalog()["hospital"]), ("hello", [])]
    vocab = build_decoder_vocab(pairs, min_freq=1)
    x, y = encode_sequences(pairs, vocab, 64)
    sep = vocab.index[SEP]
    for row_x, row_y in zip(x.tolist(), y.tolist(), strict=True):
        start = row_x.index(sep)
        assert set(row_y[:start]) == {-100}  # prompt: never a target
        scored = [t for t in row_y[start:] if t != -100]
        assert scored[-1] == vocab.index[END]
    assert [t for t in y[1].tolist() if t != -100] == [vocab.index[END]]  # refusal: just <end>


def test_resume_continues_exactly(tmp_path):
    pairs = helpers.load_decoder_pairs()[:120]
    cfg = helpers.DecoderTrainConfig(epochs=3, warmup_steps=2, progress=False)
    straight = helpers.DecoderTrainer.create(pairs, cfg, device="cpu", **SMALL).fit()
    first = helpers.DecoderTrainer.create(pairs, cfg, device="cpu", **SMALL).fit(1)
    first.save(tmp_path / "ckpt.safetensors")
    resumed = helpers.DecoderTrainer.resume(tmp_path / "ckpt.safetensors", pairs, device="cpu")
    assert (resumed.epoch, resumed.step) == (first.epoch, first.step)
    resumed.fit()
    for (name, a), b in zip(straight.model.state_dict().items(),
                            resumed.model.state_dict().values(), strict=True):
        assert torch.equal(a, b), name
    assert straight.history == resumed.history


def test_weights_only_checkpoint_cannot_be_resumed(tmp_path):
    pairs = helpers.load_decoder_pairs()[:50]
    cfg = helpers.DecoderTrainConfig(epochs=1, progress=False)
    trainer = helpers.DecoderTrainer.create(pairs, cfg, device="cpu", **SMALL).fit()
    trainer.save(tmp_path / "w.safetensors", resumable=False)
    with pytest.raises(helpers.CheckpointError, match="cannot be resumed"):
        helpers.DecoderTrainer.resume(tmp_path / "w.safetensors", pairs)
    with pytest.raises(helpers.CheckpointError, match="not found"):
        helpers.load_decoder(tmp_path / "missing.safetensors")


def rigged_decoder(favourite: str) -> helpers.TrainedDecoder:
    """A decoder whose every step prefers one token by a mile."""
    pairs = [("a hospital table", helpers.load_catalog()["hospital"])]
    vocab = build_decoder_vocab(pairs, min_freq=1)
    torch.manual_seed(0)
    model = helpers.SchemaDecoder(helpers.DecoderConfig(len(vocab), **SMALL)).eval()
    with torch.no_grad():
        model.head.bias.zero_()
        model.head.bias[vocab.index[favourite]] = 1e4
    return helpers.TrainedDecoder(model, vocab, output_columns(pairs))


def test_decoding_stops_at_end():
    assert helpers.generate_columns("a hospital table", model=rigged_decoder(END)) == []


def test_decoding_stops_at_max_columns_and_drops_repeats():
    decoder = rigged_decoder("name")
    assert helpers.generate_columns("a hospital table", model=decoder, max_columns=5) == ["name"]
    stray = rigged_decoder("hospital")  # a prompt word written as a column is not a column
    assert helpers.generate_columns("a hospital table", model=stray) == []


def test_clean_columns():
    known = ["name", "email"]
    assert helpers.clean_columns(["name", "<ho", "email", "name", SEP, "tra"], known) == [
        "name", "email"]


@pytest.mark.parametrize("options, message", [
    ({"strategy": "beam"}, "strategy"),
    ({"temperature": 0}, "temperature"),
    ({"top_k": 0}, "top_k"),
    ({"top_k": 2.5}, "top_k"),
])
def test_bad_decoding_options_name_the_option(options, message):
    with pytest.raises(ValueError, match=message):
        helpers.generate_columns("a hospital dataset", **options)


def test_top_k_one_is_greedy_and_seeds_repeat():
    prompt = "students with a phone number"
    greedy = helpers.generate_columns(prompt)
    assert helpers.generate_columns(prompt, strategy="sample", top_k=1, seed=3) == greedy
    hot = dict(strategy="sample", temperature=2.0)
    assert helpers.generate_columns(prompt, seed=1, **hot) == helpers.generate_columns(
        prompt, seed=1, **hot)


def test_shipped_decoder_quality():
    report = helpers.heldout_report(helpers.generate_columns)
    assert report["macro_f1"] >= 0.9  # notebook 08: 0.915 (classifier 0.996)
    assert report["rejected"] >= 13
    assert helpers.generate_columns("hotel bookings plus a rating")[-1] == "rating"


def test_records_round_trip_and_the_data_file_is_current():
    record = helpers.to_record("a bank table", ["account_number", "balance"])
    assert record == {"input": "a bank table", "output": "account_number balance <end>"}
    assert helpers.from_record(record) == ("a bank table", ["account_number", "balance"])
    with pytest.raises(ValueError, match="<end>"):
        helpers.from_record({"input": "x", "output": "name"})
    sys.path.insert(0, str(helpers.data_file("x").parents[1] / "scripts"))
    import make_decoder_data

    assert helpers.data_file("decoder_pairs.json").read_text(encoding="utf-8") == (
        make_decoder_data.document())


def test_compositional_prompts_name_columns_outside_their_table():
    catalog = helpers.load_catalog()
    items = json.loads(helpers.data_file("compositional_prompts.json").read_text())["prompts"]
    assert len(items) >= 10
    for item in items:
        assert item["named"] and not set(item["named"]) & set(catalog[item["domain"]])


def test_pipeline_and_cli_use_either_model():
    table = helpers.generate_dataset("hotel bookings plus a rating", rows=3, model="decoder")
    assert "rating" in table.columns and len(table) == 3
    with pytest.raises(ValueError, match="model must be one of"):
        helpers.generate_dataset("a hotel table", model="gpt")
    out = subprocess.run([sys.executable, "-m", "helpers", "generate", "hotel bookings plus a "
                          "rating", "--rows", "2", "--model", "decoder"],
                         capture_output=True, text=True, check=True)
    assert "rating" in out.stdout


def test_fit_goes_back_to_the_best_epoch(monkeypatch):
    pairs = helpers.load_decoder_pairs()[:60]
    cfg = helpers.DecoderTrainConfig(epochs=3, warmup_steps=2, progress=False)
    trainer = helpers.DecoderTrainer.create(pairs, cfg, device="cpu", **SMALL)
    losses = iter([2.0, 1.0, 3.0])  # epoch 2 is the best
    monkeypatch.setattr(trainer, "evaluate", lambda: {"val_loss": next(losses),
                                                      "perplexity": 1.0, "accuracy": 0.0})
    snapshots, train_epoch = [], trainer.train_epoch

    def recorded() -> float:
        loss = train_epoch()
        snapshots.append({k: v.clone() for k, v in trainer.model.state_dict().items()})
        return loss

    monkeypatch.setattr(trainer, "train_epoch", recorded)
    trainer.fit()
    assert trainer.best_epoch == 2 and trainer.epoch == 3
    state = trainer.model.state_dict()
    assert all(torch.equal(v, snapshots[1][k]) for k, v in state.items())
    assert not all(torch.equal(v, snapshots[2][k]) for k, v in state.items())
