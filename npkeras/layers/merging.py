"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum (elementwise, broadcasting) and Concatenate."""

import functools

from npkeras import ops
from npkeras.layers.layer import Layer, to_input_tensor


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
