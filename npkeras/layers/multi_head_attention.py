"""MultiHeadAttention: project query, key and value into heads, attend (one fused op), project back."""

import math

import numpy as np

from npkeras import initializers, regularizers
from npkeras.autograd.tensor import Tensor
from npkeras.backend import random
from npkeras.backend.global_state import uniquify
from npkeras.layers.head_projection import HeadProjection
from npkeras.layers.layer import Layer
from npkeras.layers.masks import get_mask, set_mask
from npkeras.ops import attention
from npkeras.ops import math as ops_math


def _positive_int(value, name, optional=False):
    if optional and value is None:
        return
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
        expected = "a positive integer or `None`" if optional else "a positive integer"
        raise ValueError(
            f"Received an invalid value for argument `{name}`, expected {expected}. Received: {name}={value}"
        )


def _bool_mask(mask):
    if mask is None:
        return None
    return np.asarray(mask.data if isinstance(mask, Tensor) else mask).astype(bool)


class MultiHeadAttention(Layer):
    """Keras's MultiHeadAttention for (batch, steps, features) inputs.

    Weights, in Keras's order and shapes: query, key and value kernels (dim, num_heads, key_dim|value_dim) with
    biases (num_heads, key_dim|value_dim), then attention_output's kernel (num_heads, value_dim, *output_shape)
    and bias. The attention mask is the AND of the query's Keras mask (B, T, 1), the value's and key's (B, 1, S),
    the causal mask and `attention_mask` (B, T, S). As Keras: without dropout and without returned scores, a
    fully masked query row attends uniformly; otherwise (Keras's Softmax-layer path) it gets zero weights.
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        _positive_int(num_heads, "num_heads")
        _positive_int(key_dim, "key_dim")
        _positive_int(value_dim, "value_dim", optional=True)
        super().__init__(**kwargs)
        if sliding_window is not None or flash_attention or use_gate:
            raise ValueError(
                f'Layer "{self.name}": npkeras\'s MultiHeadAttention supports neither `sliding_window`, '
                "`flash_attention` nor `use_gate`."
            )
        self._num_heads, self._key_dim = int(num_heads), int(key_dim)
        self._value_dim = int(value_dim) if value_dim else self._key_dim
        self._dropout, self._use_bias = dropout, use_bias
        if output_shape:
            if isinstance(output_shape, (int, np.integer)):
                output_shape = (int(output_shape),)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(
                    f"Invalid `output_shape`: {output_shape}. When specified, the `output_shape` should be of "
                    "type tuple, list, or int."
                ) from None
        self._output_shape = output_shape
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint, self._bias_constraint = kernel_constraint, bias_constraint
        if isinstance(attention_axes, (int, np.integer)):
            attention_axes = (int(attention_axes),)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                f"`attention_axes` must be an int, list, or tuple.Received: attention_axes={attention_axes}"
            )
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self.seed = seed
        self._rng = None if seed is None else np.random.default_rng(seed)
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        self.supports_masking = True

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    def __call__(self, query, value=None, *args, **kwargs):
        """Called as Keras's is: mha(query, value), mha(query, value, key) or mha(query=..., value=..., key=...)."""
        if value is None:
            raise ValueError(f'Layer "{self.name}" (MultiHeadAttention) needs both `query` and `value`.')
        return super().__call__(query, value, *args, **kwargs)

    def _maybe_build(self, shape):
        """Built in `call`, from the shapes of query, value and key together."""

    def _sublayer_kwargs(self):
        return dict(
            use_bias=self._use_bias,
            kernel_initializer=initializers.get(initializers.serialize(self._kernel_initializer)),
            bias_initializer=initializers.get(initializers.serialize(self._bias_initializer)),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint,
            dtype=self.dtype,
        )

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}"
            )
        for what, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(
                    f'Layer "{self.name}": npkeras\'s MultiHeadAttention takes {what} of rank 3 '
                    f"(batch, steps, features). Received: {what}_shape={tuple(shape)}"
                )
        axes = (1,) if self._attention_axes is None else tuple(a if a >= 0 else 2 + a for a in self._attention_axes)
        if axes != (1,):
            raise ValueError(
                f'Layer "{self.name}": npkeras\'s MultiHeadAttention attends over the steps axis only '
                f"(attention_axes=None or 1). Received: attention_axes={self._attention_axes}"
            )
        self._attention_axes = axes
        heads = self._num_heads  # the sublayers' attribute names are where Keras's files keep their weights
        self.query_dense = HeadProjection((heads, self._key_dim), True, name="query", **self._sublayer_kwargs())
        self.query_dense.build(tuple(query_shape))
        self.key_dense = HeadProjection((heads, self._key_dim), True, name="key", **self._sublayer_kwargs())
        self.key_dense.build(tuple(key_shape))
        self.value_dense = HeadProjection((heads, self._value_dim), True, name="value", **self._sublayer_kwargs())
        self.value_dense.build(tuple(value_shape))
        uniquify("softmax"), uniquify("dropout")  # the names of Keras's Softmax and Dropout sublayers: later match
        out = self._output_shape or (query_shape[-1],)
        self.output_dense = HeadProjection(out, False, name="attention_output", **self._sublayer_kwargs())
        self.output_dense.build((None, None, heads, self._value_dim))
        for sublayer in (self.query_dense, self.key_dense, self.value_dense, self.output_dense):
            self.nest_weight_paths(sublayer)
        self._shapes = {"query_shape": list(query_shape), "value_shape": list(value_shape)}
        if key_shape is not value_shape:
            self._shapes["key_shape"] = list(key_shape)

    def get_build_config(self):
        shapes = getattr(self, "_shapes", None)
        if shapes is None:
            return None
        return {"shapes_dict": {k: [None] + v[1:] for k, v in shapes.items()}}

    def build_from_config(self, config):
        shapes = config.get("shapes_dict") or {}
        if "query_shape" in shapes and "value_shape" in shapes:
            self.build(shapes["query_shape"], shapes["value_shape"], shapes.get("key_shape"))

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        key_given = key is not None
        key = value if key is None else key
        value, key = _as_tensor(value, self.dtype), _as_tensor(key, self.dtype)
        if not self.built:
            self.build(tuple(query.shape), tuple(value.shape), tuple(key.shape) if key_given else None)
            self.built = True
        # as Keras: the query's mask is read from the query itself; value's and key's are taken from theirs if not given
        query_mask = get_mask(query)
        value_mask = get_mask(value) if value_mask is None else value_mask
        if key_given and key_mask is None:
            key_mask = get_mask(key)
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask)
        for tensor in (query, value, key):  # as Keras: the masks are taken off the inputs, handled here alone
            set_mask(tensor, None)
        q = self.query_dense(_compute_input(query, self.query_dense.kernel.dtype))
        k = self.key_dense(_compute_input(key, self.key_dense.kernel.dtype))
        v = self.value_dense(_compute_input(value, self.value_dense.kernel.dtype))
        dropout = self._dropout if training else 0.0
        softmax_layer_path = self._dropout > 0 or return_attention_scores  # where Keras runs its Softmax layer
        op = attention.DotProductAttention(
            self._inverse_sqrt_key_dim,
            mask,
            zero_masked=softmax_layer_path,
            rate=dropout,
            seed_generator=self._rng or (random.generator() if dropout else None),
            return_weights=return_attention_scores,
        )
        result = op(q, k, v)
        heads, scores = result if return_attention_scores else (result, None)
        output = self.output_dense(heads)
        if query_mask is not None:
            set_mask(output, query_mask)
        return (output, scores) if return_attention_scores else output

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask):
        """The AND of every mask, broadcastable to the scores (B, heads, T, S); None if nothing is masked."""
        mask = None
        if query_mask is not None:
            mask = _bool_mask(query_mask)[:, :, None]
        for m in (value_mask, key_mask):
            if m is not None:
                m = _bool_mask(m)[:, None, :]
                mask = m if mask is None else mask & m
        if use_causal_mask:
            causal = np.tril(np.ones((1, query.shape[1], value.shape[1]), dtype=bool))
            mask = causal if mask is None else mask & causal
        if attention_mask is not None:
            given = _bool_mask(attention_mask)
            mask = given if mask is None else given & mask
        if mask is None:
            return None
        while mask.ndim < 3:
            mask = mask[None]
        return mask[:, None] if mask.ndim == 3 else mask

    def compute_mask(self, inputs, previous_mask):
        """Nothing more to attach: `call` gives the output the query's mask (and the scores none)."""
        return None

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": False,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": None,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": None,
            "bias_constraint": None,
            "seed": self.seed,
        }


def _compute_input(x, dtype):
    """The input as a tensor of the layer's dtype."""
    if x.dtype != dtype:
        x = ops_math.cast(x, dtype)
    return x


def _as_tensor(x, dtype):
    """A value or key given as an array (or in a keyword), as a Tensor."""
    return x if isinstance(x, Tensor) else Tensor(np.asarray(x, dtype=dtype))
