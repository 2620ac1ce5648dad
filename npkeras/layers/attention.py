"""Attention (dot or concat scores) and AdditiveAttention, called on [query, value] or [query, value, key]."""

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import Tensor
from npkeras.layers.layer import Layer
from npkeras.layers.masks import get_mask
from npkeras.ops import nn

MASKED_SHIFT = 1.0e9  # subtracted from the scores of masked value steps, as Keras


def _as_mask(m):
    return None if m is None else np.asarray(m.data if isinstance(m, Tensor) else m).astype(bool)


class Attention(Layer):
    """scores = query @ key^T (times `scale` with use_scale) or, with score_mode="concat",
    concat_score_weight * sum(tanh(scale * (query_i + key_j))); softmax over the value steps (masked ones get
    scores - 1e9, the causal mask hides later steps), dropout on the weights in training, then weights @ value.
    Query steps masked out give zeros; the output carries the query's mask."""

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale, self.score_mode, self.dropout, self.seed = use_scale, score_mode, dropout, seed
        self._rng = None if seed is None else np.random.default_rng(seed)
        if self.score_mode not in ["dot", "concat"]:
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode}"
            )

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. "
                f"Received: inputs={inputs}."
            )
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. "
                f"Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, list):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. Received: mask={mask}."
                )
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. Received: inputs={inputs}, mask={mask}."
                )

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight((), "ones", name="scale")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight((), "ones", name="concat_score_weight")

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.transpose(key, (0, 2, 1)) if key.ndim == 3 else _swap_last(key))
            return scores if self.scale is None else scores * self.scale
        pairs = ops.expand_dims(query, -2) + ops.expand_dims(key, -3)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * ops.sum(ops.tanh(pairs), axis=-1)

    def _inputs_masks(self, inputs, mask):
        if mask is None:
            masks = [get_mask(t) for t in inputs]
            mask = masks if any(m is not None for m in masks) else None
        return mask

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        mask = self._inputs_masks(inputs, mask)
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask = _as_mask(mask[0]) if mask else None
        v_mask = _as_mask(mask[1]) if mask else None
        scores = self._calculate_scores(q, k)
        scores_mask = v_mask[..., None, :] if v_mask is not None and v_mask.ndim == 2 else v_mask
        if use_causal_mask:
            causal = np.tril(np.ones((1, scores.shape[-2], scores.shape[-1]), dtype=bool))
            scores_mask = causal if scores_mask is None else scores_mask & causal
        if scores_mask is not None:
            scores = ops.where(~scores_mask, scores - MASKED_SHIFT, scores)
        weights = ops.softmax(scores, axis=-1)
        attended = weights
        if training and self.dropout > 0:
            attended = nn.Dropout(self.dropout, seed_generator=self._rng)(weights)
        output = ops.matmul(attended, v)
        if q_mask is not None:
            output = ops.where(q_mask[..., None], output, ops.zeros((), output.dtype))
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        mask = self._inputs_masks(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return _as_mask(mask[0])

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def get_config(self):
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }


def _swap_last(x):
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return ops.transpose(x, axes)


class AdditiveAttention(Attention):
    """scores = sum(scale * tanh(query_i + key_j)) over features, `scale` a trainable vector (glorot_uniform)."""

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight((input_shape[0][-1],), "glorot_uniform", name="scale")

    def _calculate_scores(self, query, key):
        tanh = ops.tanh(ops.expand_dims(query, -2) + ops.expand_dims(key, -3))
        return ops.sum(tanh if self.scale is None else self.scale * tanh, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
