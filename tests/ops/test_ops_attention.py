"""The fused scaled-dot-product attention op: values against a per-head loop in NumPy, masks, dropout, gradients."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check
from npkeras.ops.attention import DotProductAttention

RNG = np.random.default_rng(0)
B, T, S, H, K, V = 2, 3, 5, 2, 4, 3


def qkv():
    return RNG.standard_normal((B, T, H, K)), RNG.standard_normal((B, S, H, K)), RNG.standard_normal((B, S, H, V))


def reference(q, k, v, scale, mask=None, zero_masked=False):
    out = np.zeros((B, T, H, V))
    weights = np.zeros((B, H, T, S))
    for b in range(B):
        for h in range(H):
            z = q[b, :, h] @ k[b, :, h].T * scale
            m = np.ones((T, S), bool) if mask is None else np.broadcast_to(mask, (B, H, T, S))[b, h]
            z = np.where(m, z, -1e9)
            p = np.exp(z - z.max(-1, keepdims=True))
            p /= p.sum(-1, keepdims=True)
            if zero_masked:
                p = p * m
            weights[b, h] = p
            out[b, :, h] = p @ v[b, :, h]
    return out, weights


def masks():
    m = RNG.random((B, 1, T, S)) > 0.4
    m[0, 0, 1] = False  # a query row that attends nowhere
    return m


@pytest.mark.parametrize("zero_masked", [False, True])
def test_values_and_weights_match_a_loop_over_heads(zero_masked):
    q, k, v = qkv()
    m = masks()
    out, weights = DotProductAttention(0.5, m, zero_masked, return_weights=True)(Tensor(q), Tensor(k), Tensor(v))
    ref_out, ref_weights = reference(q, k, v, 0.5, m, zero_masked)
    np.testing.assert_allclose(np.asarray(out), ref_out, rtol=1e-10)
    np.testing.assert_allclose(np.asarray(weights), ref_weights, rtol=1e-10)
    row = np.asarray(weights)[0, :, 1]
    np.testing.assert_allclose(row, 0.0 if zero_masked else 1.0 / S)  # the empty row: zeros, or uniform as Keras


@pytest.mark.parametrize("zero_masked", [False, True])
def test_gradients(zero_masked):
    q, k, v = qkv()
    m = masks()
    gradient_check(lambda q, k, v: DotProductAttention(0.5, m, zero_masked)(q, k, v), q, k, v)


def test_gradients_through_the_returned_weights():
    q, k, v = qkv()
    m = masks()

    def fn(q, k, v):
        out, weights = DotProductAttention(0.5, m, True, return_weights=True)(q, k, v)
        return ops.sum(out) + ops.sum(weights * weights)

    gradient_check(fn, q, k, v)


def test_causal_dot_product_attention_matches_keras_semantics():
    q, k, v = qkv()
    k, v = k[:, :T], v[:, :T]
    got = ops.dot_product_attention(q, k, v, is_causal=True)
    causal = np.tril(np.ones((T, T), bool))
    scale = 1 / np.sqrt(K)
    out = np.zeros((B, T, H, V))
    for b in range(B):
        for h in range(H):
            z = np.where(causal, q[b, :, h] @ k[b, :, h].T * scale, -1e9)
            p = np.exp(z - z.max(-1, keepdims=True))
            out[b, :, h] = (p / p.sum(-1, keepdims=True)) @ v[b, :, h]
    np.testing.assert_allclose(np.asarray(got), out, rtol=1e-10)
    gradient_check(lambda q, k, v: ops.dot_product_attention(q, k, v, is_causal=True), q, k, v)


def test_dropout_zeroes_weights_and_scales_the_rest():
    q, k, v = qkv()
    rng = np.random.default_rng(3)
    op = DotProductAttention(0.5, rate=0.5, seed_generator=rng, return_weights=True)
    qt, kt, vt = (Tensor(a, requires_grad=True) for a in (q, k, v))
    out, weights = op(qt, kt, vt)
    drop = np.random.default_rng(3).random((B, H, T, S), dtype=np.float32) >= 0.5
    dropped = np.asarray(weights) * drop * 2.0
    expected = np.einsum("bhts,bshv->bthv", dropped, v)
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6)
    _, ref_weights = reference(q, k, v, 0.5)
    np.testing.assert_allclose(np.asarray(weights), ref_weights, rtol=1e-10)  # returned before dropout, as Keras


def test_only_4d_inputs():
    with pytest.raises(ValueError, match="only supports 4D inputs"):
        ops.dot_product_attention(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))
