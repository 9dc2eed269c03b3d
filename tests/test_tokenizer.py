import pytest
import torch

from helpers import (
    CLS,
    PAD,
    UNK,
    ColumnVocab,
    Vocab,
    char_ngrams,
    encode_batch,
    encode_targets,
    tokenize,
)


def test_tokenize_puts_cls_first_then_words_then_trigrams():
    tokens = tokenize("Generate a HOSPITAL dataset")
    assert tokens[:5] == [CLS, "generate", "a", "hospital", "dataset"]
    assert tokens[5:8] == ["<ge", "gen", "ene"]
    assert "<ho" in tokens and "al>" in tokens


def test_numbers_become_one_token_without_ngrams():
    assert tokenize("50 rows") == [CLS, "<num>", "rows", "<ro", "row", "ows", "ws>"]
    assert tokenize("50 rows") == tokenize("5000 rows")


def test_char_ngrams_mark_word_boundaries():
    assert char_ngrams("cars") == ["<ca", "car", "ars", "rs>"]
    assert char_ngrams("a") == ["<a>"]


def test_typos_and_plurals_share_most_trigrams():
    def overlap(a, b):
        ga, gb = set(char_ngrams(a)), set(char_ngrams(b))
        return len(ga & gb) / len(ga | gb)

    assert overlap("hospital", "hopsital") >= 0.3
    assert overlap("restaurant", "restaurants") >= 0.7
    assert overlap("hospital", "weather") == 0


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_blank_prompt_is_a_value_error(bad):
    with pytest.raises(ValueError, match="prompt is empty"):
        tokenize(bad)


@pytest.mark.parametrize("bad", [None, 42, ["a list"], b"bytes"])
def test_non_string_prompt_is_a_type_error(bad):
    with pytest.raises(TypeError, match="prompt must be a string"):
        tokenize(bad)


def test_unicode_and_emoji_do_not_crash():
    assert tokenize("🏥🙂") == [CLS]
    assert tokenize("Café données 病院")[1:4] == ["café", "données", "病院"]


def test_long_prompts_are_truncated_keeping_words_first():
    prompt = " ".join(["hospital"] * 100)
    tokens = tokenize(prompt, max_len=64)
    assert len(tokens) == 64 and tokens[0] == CLS
    assert set(tokens[1:]) == {"hospital"}


def test_vocab_round_trip_and_unknown_tokens(tmp_path):
    vocab = Vocab.build([tokenize("hospital data"), tokenize("bank data")])
    assert vocab.tokens[:3] == [PAD, UNK, CLS]
    ids = vocab.encode(tokenize("bank data"))
    assert vocab.decode(ids) == tokenize("bank data")
    assert vocab.encode(["zebra"]) == [vocab.unk_id]
    vocab.save(tmp_path / "vocab.json")
    again = Vocab.load(tmp_path / "vocab.json")
    assert again.tokens == vocab.tokens


def test_vocab_min_freq_drops_rare_tokens():
    vocab = Vocab.build([["a", "a", "b"]], min_freq=2)
    assert "a" in vocab.index and "b" not in vocab.index


def test_vocab_rejects_missing_specials():
    with pytest.raises(ValueError, match="must start with"):
        Vocab(["hello"])


def test_column_vocab_multi_hot_round_trip(tmp_path):
    cols = ColumnVocab.build([["name", "email"], ["name", "balance"]])
    assert cols.columns == ["name", "email", "balance"]
    assert cols.encode(["balance", "name"]) == [1.0, 0.0, 1.0]
    assert cols.decode([0.9, 0.2, 0.4], threshold=0.4) == ["name", "balance"]
    assert cols.decode(cols.encode([])) == []
    cols.save(tmp_path / "cols.json")
    assert ColumnVocab.load(tmp_path / "cols.json").columns == cols.columns


def test_column_vocab_errors_name_the_problem():
    cols = ColumnVocab(["name", "email"])
    with pytest.raises(KeyError, match="unknown column 'salary'"):
        cols.encode(["salary"])
    with pytest.raises(ValueError, match="expected 2 scores, got 3"):
        cols.decode([0.1, 0.2, 0.3])


def test_encode_batch_pads_to_the_longest_prompt():
    vocab = Vocab.build([tokenize("a hospital dataset"), tokenize("bank")])
    batch = encode_batch(["a hospital dataset", "bank"], vocab)
    assert batch.dtype == torch.long
    assert batch.shape == (2, len(tokenize("a hospital dataset")))
    assert batch[1, len(tokenize("bank")) :].eq(vocab.pad_id).all()
    assert batch[:, 0].eq(vocab.index[CLS]).all()


def test_encode_targets_is_multi_hot():
    cols = ColumnVocab(["name", "email", "balance"])
    targets = encode_targets([["name"], [], ["email", "balance"]], cols)
    assert targets.tolist() == [[1, 0, 0], [0, 0, 0], [0, 1, 1]]


def test_words_only_tokeniser_drops_the_trigrams():
    assert tokenize("hospital data", subwords=False) == [CLS, "hospital", "data"]
    assert len(tokenize("hospital data")) > 3
