import torch

from helpers import ModelConfig, SchemaPredictor


def make(**kw):
    torch.manual_seed(0)
    return SchemaPredictor(ModelConfig(vocab_size=50, num_columns=7, **kw)).eval()


def test_forward_shapes_and_attention_per_layer():
    model = make(num_layers=2)
    ids = torch.tensor([[2, 5, 6, 7, 0], [2, 9, 0, 0, 0]])
    assert model(ids).shape == (2, 7)
    hidden, attentions = model.encode(ids)
    assert hidden.shape == (2, 5, 64)
    assert [a.shape for a in attentions] == [(2, 4, 5, 5)] * 2


def test_padding_does_not_change_the_prediction():
    model = make()
    short = torch.tensor([[2, 5, 6]])
    padded = torch.tensor([[2, 5, 6, 0, 0, 0]])
    assert torch.allclose(model(short), model(padded), atol=1e-5)


def test_reference_design_is_smaller_than_the_default():
    reference = make(num_layers=1, ff_dim=0, dropout=0.0)
    assert reference.num_parameters() < make().num_parameters()
    assert reference(torch.tensor([[2, 3]])).shape == (1, 7)


def test_positions_make_word_order_visible():
    ids, swapped = torch.tensor([[2, 5, 6]]), torch.tensor([[2, 6, 5]])
    assert torch.allclose(make()(ids), make()(swapped), atol=1e-5)  # a bag of tokens
    with_pos = make(positions=True)
    assert not torch.allclose(with_pos(ids), with_pos(swapped), atol=1e-5)
