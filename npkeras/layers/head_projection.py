"""HeadProjection: MultiHeadAttention's projections into and out of heads, with Keras EinsumDense's weights."""

import math

from npkeras import initializers, regularizers
from npkeras.layers.layer import Layer
from npkeras.ops import nn, shaping


class HeadProjection(Layer):
    """Into heads: (B, T, dim) -> (B, T, heads, size) with kernel (dim, heads, size) and bias (heads, size).
    Out of heads: (B, T, heads, size) -> (B, T, *output_shape) with kernel (heads, size, *output_shape) and bias
    output_shape. Either is one GEMM on the kernel seen as a matrix (Keras's "abc,cde->abde" and "abcd,cde->abe")."""

    def __init__(
        self,
        out_shape,
        into_heads,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.out_shape, self.into_heads, self.use_bias = tuple(out_shape), into_heads, use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def build(self, input_shape):
        bound = tuple(input_shape[-1:] if self.into_heads else input_shape[-2:])
        self.kernel = self.add_weight(
            bound + self.out_shape,
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                self.out_shape,
                self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self._bound = bound

    def call(self, inputs):
        n_in, n_out = math.prod(self._bound), math.prod(self.out_shape)
        lead = tuple(inputs.shape[: inputs.ndim - len(self._bound)])
        if tuple(inputs.shape[len(lead) :]) != self._bound:
            raise ValueError(
                f'Layer "{self.name}" expects inputs ending in {self._bound}, but received shape {tuple(inputs.shape)}.'
            )
        x = inputs if self.into_heads else shaping.reshape(inputs, lead + (n_in,))
        kernel = shaping.reshape(self.kernel, (n_in, n_out))
        op = nn.Dense()
        y = op(x, kernel) if self.bias is None else op(x, kernel, shaping.reshape(self.bias, (n_out,)))
        y = shaping.reshape(y, lead + self.out_shape)
        return y
