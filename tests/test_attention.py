import math

import pytest
import torch
import torch.nn.functional as F

from helpers import MultiHeadAttention, causal_mask, padding_mask, scaled_dot_product_attention


@pytest.fixture
def qkv():
    g = torch.Generator().manual_seed(0)
    return [torch.randn(2, 3, 5, 8, generator=g) for _ in range(3)]  # (batch, heads, seq, dim)


def test_weights_are_a_distribution_per_query(qkv):
    _, w = scaled_dot_product_attention(*qkv)
    assert w.shape == (2, 3, 5, 5)
    assert torch.allclose(w.sum(-1), torch.ones(2, 3, 5))


def test_matches_the_formula_on_a_hand_sized_example():
    q = torch.tensor([[1.0, 0.0]])
    k = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    v = torch.tensor([[10.0, 0.0], [0.0, 10.0]])
    out, w = scaled_dot_product_attention(q, k, v)
    e = math.exp(1 / math.sqrt(2))
    assert torch.allclose(w, torch.tensor([[e / (e + 1), 1 / (e + 1)]]))
    assert torch.allclose(out, w @ v)


def test_matches_torch_sdpa_with_and_without_mask(qkv):
    mask = causal_mask(5)
    for m in (None, mask):
        out, _ = scaled_dot_product_attention(*qkv, mask=m)
        assert torch.allclose(out, F.scaled_dot_product_attention(*qkv, attn_mask=m), atol=1e-6)


def test_causal_mask_hides_the_future(qkv):
    q, k, v = qkv
    out, w = scaled_dot_product_attention(q, k, v, causal_mask(5))
    assert torch.all(w.triu(1) == 0)
    v2 = v.clone()
    v2[..., 3:, :] += 100.0  # change later positions: earlier outputs must not move
    out2, _ = scaled_dot_product_attention(q, k, v2, causal_mask(5))
    assert torch.allclose(out[..., :3, :], out2[..., :3, :])
    assert not torch.allclose(out[..., 3:, :], out2[..., 3:, :])


def test_padding_mask_gives_padded_keys_zero_weight():
    ids = torch.tensor([[2, 5, 6, 0, 0]])
    mask = padding_mask(ids, pad_id=0)
    assert mask.shape == (1, 1, 1, 5)
    x = torch.randn(1, 1, 5, 4)
    _, w = scaled_dot_product_attention(x, x, x, mask)
    assert torch.all(w[..., 3:] == 0)


@pytest.mark.parametrize("use_padding", [False, True])
def test_multi_head_attention_equals_torch(use_padding):
    torch.manual_seed(0)
    reference = torch.nn.MultiheadAttention(16, 4, batch_first=True).eval()
    ours = MultiHeadAttention(16, 4).copy_from_torch(reference).eval()
    x = torch.randn(3, 6, 16)
    ids = torch.tensor([[1] * 6, [1] * 4 + [0] * 2, [1] * 2 + [0] * 4])
    ignore = (ids == 0) if use_padding else None
    ref_out, ref_w = reference(x, x, x, key_padding_mask=ignore, average_attn_weights=False)
    out, w = ours(x, padding_mask(ids, 0) if use_padding else None)
    assert out.shape == (3, 6, 16) and w.shape == (3, 4, 6, 6)
    assert torch.allclose(out, ref_out, atol=1e-6)
    assert torch.allclose(w, ref_w, atol=1e-6)


def test_head_count_must_divide_embedding():
    with pytest.raises(ValueError, match="not divisible"):
        MultiHeadAttention(10, 3)
