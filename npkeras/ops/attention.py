"""Scaled dot-product attention as one fused op: scores, masked softmax, dropout and the weighted sum of values."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.backend import random
from npkeras.ops.nn import dropout_mask

LARGE_NEGATIVE = -1e9  # what masked-out scores become before the softmax, as Keras


class DotProductAttention(Function):
    """out = dropout(softmax(mask(q k^T * scale))) v for q (B, T, H, K), k (B, S, H, K), v (B, S, H, V).

    Heads and samples are batched axes of np.matmul (B, H, T, S): no Python loop over either.
    `mask` is a boolean array broadcastable to (B, H, T, S), True where a query may attend;
    `zero_masked` zeroes masked weights after the softmax (Keras's Softmax layer path: a fully
    masked row gives zeros, not uniform weights). With `return_weights` the op has a second output,
    the attention weights before dropout.

    Backward, with P the weights, D the dropout multiplier and g the output gradient (B, H, T, V):
    dV = (P * D)^T g, dP = (g V^T) * D (+ the weights' own gradient), dZ = P * (dP - sum(dP * P)) where
    unmasked, dQ = dZ K * scale, dK = dZ^T Q * scale.
    """

    saved = ("q", "k", "v", "probs", "drop")

    def __init__(self, scale, mask=None, zero_masked=False, rate=0.0, seed_generator=None, return_weights=False):
        self.scale, self.mask, self.zero_masked = scale, mask, zero_masked
        self.rate, self.rng, self.return_weights = rate, seed_generator, return_weights

    def forward(self, q, k, v):
        self.q, self.k, self.v = (a.transpose(0, 2, 1, 3) for a in (q, k, v))  # (B, H, T|S, K|V)
        logits = self.q @ self.k.transpose(0, 1, 3, 2)
        logits *= np.asarray(self.scale, dtype=logits.dtype)
        if self.mask is not None:
            logits = np.where(self.mask, logits, np.asarray(LARGE_NEGATIVE, dtype=logits.dtype))
        logits -= logits.max(axis=-1, keepdims=True)
        probs = np.exp(logits, out=logits)
        probs /= probs.sum(axis=-1, keepdims=True)
        if self.mask is not None and self.zero_masked:
            probs *= self.mask
        self.probs = probs
        self.drop = None
        weighted = probs
        if self.rate > 0:
            self.drop = dropout_mask(probs.shape, self.rate, self.rng or random.generator(), probs.dtype)
            weighted = probs * self.drop
        out = (weighted @ self.v).transpose(0, 2, 1, 3)
        if self.return_weights:
            return out, probs
        return out

    def backward(self, gy, g_weights=None):
        go = gy.transpose(0, 2, 1, 3)
        probs = self.probs
        weighted = probs if self.drop is None else probs * self.drop
        gv = weighted.transpose(0, 1, 3, 2) @ go
        gp = go @ self.v.transpose(0, 1, 3, 2)
        if self.drop is not None:
            gp *= self.drop
        if g_weights is not None:
            gp += g_weights
        gz = probs * (gp - (gp * probs).sum(axis=-1, keepdims=True))
        if self.mask is not None:
            gz *= self.mask
        gz *= np.asarray(self.scale, dtype=gz.dtype)
        gq = gz @ self.k
        gk = gz.transpose(0, 1, 3, 2) @ self.q
        return tuple(g.transpose(0, 2, 1, 3) for g in (gq, gk, gv))


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None):
    """Keras's `ops.dot_product_attention` for (B, T, H, K) query and (B, S, H, K|V) key/value, without bias."""
    query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
    if query.ndim != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. "
            f"Received: query.shape={query.shape}, key.shape={key.shape}, value.shape={value.shape}."
        )
    if bias is not None or flash_attention:
        raise ValueError("npkeras's `dot_product_attention` takes neither `bias` nor `flash_attention`.")
    if scale is None:
        scale = 1.0 / np.sqrt(query.shape[-1])
    if mask is not None:
        mask = np.asarray(mask.data if hasattr(mask, "data") else mask).astype(bool)
    if is_causal:
        causal = np.tril(np.ones((query.shape[1], key.shape[1]), dtype=bool))
        mask = causal if mask is None else mask & causal
    return DotProductAttention(float(scale), mask)(query, key, value)
