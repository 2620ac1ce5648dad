"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum (elementwise, broadcasting), Concatenate and
Dot."""

import functools

from npkeras import ops
from npkeras.layers.layer import Layer, to_input_tensor
from npkeras.ops import nn
from npkeras.ops.unit_normalization import normalize as l2_normalize


def _broadcast_shape(shape1, shape2):
    """Keras's elementwise output shape: the shapes align on the right; 1 and None give way to the other."""
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    out = list(shape1[: len(shape1) - len(shape2)])
    for a, b in zip(shape1[len(shape1) - len(shape2) :], shape2):
        if a is None or b is None:
            out.append(None if a in (None, 1) and b in (None, 1) else (a if b in (None, 1) else b))
        elif a == 1 or b == 1 or a == b:
            out.append(b if a == 1 else a)
        else:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {tuple(shape1)} and {tuple(shape2)}")
    return tuple(out)


def _shape_list(input_shape):
    """A list of shape tuples when given one per input; anything else unchanged, for the check to refuse."""
    if (
        isinstance(input_shape, (list, tuple))
        and input_shape
        and all(isinstance(s, (list, tuple)) for s in input_shape)
    ):
        return [tuple(s) for s in input_shape]
    return input_shape


class Merge(Layer):
    """Base: called on a list of tensors, merged elementwise by `_merge_function`."""

    minimum_inputs = 1

    def _check_shapes(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                f"A merge layer should be called on a list of inputs. Received: input_shape={input_shape} "
                "(not a list of shapes)"
            )
        if len(input_shape) < self.minimum_inputs:
            raise ValueError(
                f"A merge layer should be called on a list of at least {self.minimum_inputs} input. Got "
                f"{len(input_shape)} inputs. Full input_shape received: {input_shape}"
            )
        batch_sizes = {s[0] for s in input_shape if s and s[0] is not None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Cannot merge tensors with different batch sizes. Received tensors with shapes {input_shape}"
            )
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = _broadcast_shape(out, tuple(shape[1:]))
        return (input_shape[0][0],) + out

    def build(self, input_shape):
        self._check_shapes(_shape_list(input_shape))

    def compute_output_shape(self, input_shape):
        return self._check_shapes(_shape_list(input_shape))

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f'A merge layer ("{self.name}") should be called on a list of inputs. Received: {inputs!r}'
            )
        tensors = [to_input_tensor(x, self.name) for x in inputs]
        self._check_shapes([tuple(t.shape) for t in tensors])
        return self._merge_function(tensors)


class Add(Merge):
    def _merge_function(self, inputs):
        return functools.reduce(ops.add, inputs)

    def call_with_relu(self, inputs):
        """This layer then max(x, 0): one op and one array for two inputs of one shape and dtype.

        Same outputs and gradients as the layer followed by a ReLU; the model runs them this way
        (models/fusion.py) when nothing can observe the difference.
        """
        if isinstance(inputs, (list, tuple)) and len(inputs) == 2:
            a, b = (to_input_tensor(x, self.name) for x in inputs)
            if a.shape == b.shape and a.dtype == b.dtype and a.dtype.kind == "f":
                return nn.AddRelu()(a, b)
        return ops.relu(self.call(inputs))


class Subtract(Merge):
    minimum_inputs = 2

    def _check_shapes(self, input_shape):
        if isinstance(input_shape, (list, tuple)) and len(input_shape) != 2:
            raise ValueError(
                f"A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape={input_shape}"
            )
        return super()._check_shapes(input_shape)

    def _merge_function(self, inputs):
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    def _merge_function(self, inputs):
        return functools.reduce(ops.multiply, inputs)


class Average(Merge):
    def _merge_function(self, inputs):
        return functools.reduce(ops.add, inputs) / len(inputs)


class Maximum(Merge):
    def _merge_function(self, inputs):
        return functools.reduce(ops.maximum, inputs)


class Minimum(Merge):
    def _merge_function(self, inputs):
        return functools.reduce(ops.minimum, inputs)


class Concatenate(Merge):
    """Joins the inputs along `axis`; every other dimension must match."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check_shapes(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        rank = len(input_shape[0])
        if any(len(s) != rank for s in input_shape) or not -rank <= self.axis < rank:
            raise ValueError(
                "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
                f"Received: input_shape={input_shape}"
            )
        axis = self.axis % rank
        out = list(input_shape[0])
        for shape in input_shape[1:]:
            for i, (a, b) in enumerate(zip(out, shape)):
                if i == axis:
                    continue
                if a is not None and b is not None and a != b:
                    raise ValueError(
                        "A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
                        f"axis. Received: input_shape={input_shape}"
                    )
                out[i] = a if a is not None else b
        sizes = [s[axis] for s in input_shape]
        out[axis] = None if None in sizes else sum(sizes)
        return tuple(out)

    def _merge_function(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def batch_dot(x, y, axes):
    """Per sample, the dot product of x and y over axes (a0, a1) (neither the batch axis): the remaining axes of x,
    then those of y; a rank-1 result per sample gets a trailing axis of 1, as Keras's."""
    a0, a1 = axes
    x = ops.transpose(x, [i for i in range(x.ndim) if i != a0] + [a0])  # (batch, *x_rest, k)
    y = ops.transpose(y, [0, a1] + [i for i in range(1, y.ndim) if i != a1])  # (batch, k, *y_rest)
    x_rest, y_rest = tuple(x.shape[1:-1]), tuple(y.shape[2:])
    batch, k = x.shape[0], x.shape[-1]
    x3 = ops.reshape(x, (batch, -1, k))
    y3 = ops.reshape(y, (batch, k, -1))
    out = ops.matmul(x3, y3)
    shape = (batch,) + x_rest + y_rest
    return ops.reshape(out, shape if len(shape) > 1 else (batch, 1))


class Dot(Merge):
    """The dot product of two samples over `axes` (an int for both, or one per input); with `normalize`, of
    their L2-normalized versions (the cosine proximity)."""

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    f"Invalid type for argument `axes`: it should be a list or an int. Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    f"Invalid format for argument `axes`: it should contain two elements. Received: axes={axes}"
                )
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(
                    f"Invalid format for argument `axes`: list elements should be integers. Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _axes_for(self, shape1, shape2):
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return [a % len(s) if a < 0 else a for a, s in zip(axes, (shape1, shape2))]

    def _check_shapes(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                f"A `Dot` layer should be called on a list of 2 inputs. Received: input_shape={input_shape}"
            )
        shape1, shape2 = (list(s) for s in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(
                f"Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes {tuple(shape1)} and "
                f"{tuple(shape2)}."
            )
        axes = self._axes_for(shape1, shape2)
        if 0 in axes or axes[0] >= len(shape1) or axes[1] >= len(shape2):
            raise ValueError(
                f"A `Dot` layer cannot take the product over the batch axis or beyond the inputs' ranks. "
                f"Received: axes={self.axes}, input shapes {tuple(shape1)} and {tuple(shape2)}"
            )
        d1, d2 = shape1[axes[0]], shape2[axes[1]]
        if d1 is not None and d2 is not None and d1 != d2:
            raise ValueError(
                f"Incompatible input shapes: axis values {d1} (at axis {axes[0]}) != {d2} (at axis {axes[1]}). "
                f"Full input shapes: {tuple(shape1)}, {tuple(shape2)}"
            )
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        out = shape1 + shape2[1:]
        return tuple(out + [1] if len(out) == 1 else out)

    def compute_mask(self, inputs, previous_mask):
        return None

    def _merge_function(self, inputs):
        x1, x2 = inputs
        axes = self._axes_for(x1.shape, x2.shape)
        if self.normalize:
            x1, x2 = l2_normalize(x1, axis=axes[0]), l2_normalize(x2, axis=axes[1])
        return batch_dot(x1, x2, axes)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    return Dot(axes=axes, **kwargs)(inputs)
