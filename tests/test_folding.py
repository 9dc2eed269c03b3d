"""Trigrams folded into their word: the tokenizer's second layout, the model and calibration."""

import pytest
import torch

import helpers
from helpers import (
    CLS,
    MAX_PIECES,
    ModelConfig,
    RealPrompt,
    SchemaPredictor,
    Vocab,
    char_ngrams,
    encode_folded,
    tokenize,
    word_pieces,
)
from helpers.tokenizer import NUM


def test_word_pieces_group_each_word_with_its_trigrams():
    pieces = word_pieces("Cars, 50 of them")
    assert pieces[0] == [CLS]
    assert pieces[1] == ["cars", *char_ngrams("cars")]
    assert pieces[2] == [NUM, "<,>", "<num2>"]  # no trigrams: the comma before, the length
    assert [p[0] for p in pieces] == tokenize("Cars, 50 of them", subwords=False)


def test_words_only_folds_nothing():
    assert word_pieces("cars 5", subwords=False) == [[CLS], ["cars"], [NUM]]
    vocab = Vocab.build([tokenize("cars data")], min_freq=1)
    assert encode_folded(["cars data"], vocab, subwords=False).shape == (1, 3, 1)


def test_a_long_prompt_keeps_every_word_and_a_long_word_is_capped():
    prompt = " ".join(f"word{i}x" for i in range(60))
    assert len(word_pieces(prompt)) == 61  # appended, the same prompt is cut at 96 tokens
    assert len(tokenize(prompt)) == helpers.MAX_LEN
    assert len(word_pieces("pneumonoultramicroscopic")[1]) == MAX_PIECES
    assert len(word_pieces(prompt, max_len=10)) == 10


def test_encode_folded_pads_positions_and_pieces():
    vocab = Vocab.build([tokenize("cars data hospital")], min_freq=1)
    x = encode_folded(["cars data", "hospital"], vocab)
    assert x.shape == (2, 3, 1 + len(char_ngrams("hospital")))
    assert x[1, 2].tolist() == [vocab.pad_id] * x.shape[2]  # the short prompt's padding
    assert x[0, 1, 0] == vocab.index["cars"] and x[0, 1, 5] == vocab.pad_id


def test_the_model_averages_pieces_and_ignores_padding():
    torch.manual_seed(0)
    model = SchemaPredictor(ModelConfig(vocab_size=30, num_columns=5)).eval()
    ids = torch.tensor([[[2, 0, 0], [5, 6, 7], [8, 9, 0]]])  # (1, 3, 3)
    vectors = model.embed(ids)
    assert vectors.shape == (1, 3, 64)
    assert torch.allclose(vectors[0, 2], model.embedding.weight[[8, 9]].mean(0))
    padded = torch.cat([ids, torch.zeros(1, 2, 3, dtype=torch.long)], dim=1)  # two empty words
    with torch.no_grad():
        assert torch.allclose(model(ids), model(padded), atol=1e-6)
        assert model(ids).shape == (1, 5)


def test_older_checkpoints_load_with_the_appended_layout(tmp_path):
    trained = helpers.load_model()
    assert trained.model.cfg.folded
    weights, sidecar = helpers.save_checkpoint(trained, tmp_path / "m.safetensors")
    text = sidecar.read_text(encoding="utf-8").replace('  "folded": true,\n', "")
    assert '"folded"' not in text
    sidecar.write_text(text, encoding="utf-8")
    assert not helpers.load_checkpoint(weights).model.cfg.folded


def test_calibrate_threshold_uses_dev_and_refuses_test():
    dev = helpers.load_real_prompts("dev")[:30]
    threshold, sweep = helpers.calibrate_threshold(dev)
    best = max(s["macro_f1"] for s in sweep)
    chosen = next(s for s in sweep if s["threshold"] == threshold)
    assert chosen["macro_f1"] >= best - 0.005
    with pytest.raises(ValueError, match="dev half"):
        helpers.calibrate_threshold([RealPrompt("x", (None,), "title", "", "test")])
