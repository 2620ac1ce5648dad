"""The ONNX graph an export builds: values with their Keras shapes and layouts, nodes and weights.

A value's `perm` says how the graph holds it: the Keras tensor transposed by `perm`. Convolution
stacks keep channels_last tensors channels first (ONNX's NCHW) from one convolution to the next;
a Transpose is written only where a layer needs another layout, once per value and layout.
"""

import numpy as np


def identity_perm(rank):
    return tuple(range(rank))


def channels_first_perm(rank):
    """(0, rank - 1, 1, ..., rank - 2): channels_last to channels first."""
    return (0, rank - 1, *range(1, rank - 1))


class Value:
    """One tensor of the exported graph: its ONNX name, Keras shape (batch None), dtype, layout and mask."""

    def __init__(self, name, shape, dtype, perm=None, mask=None):
        self.name, self.shape, self.dtype = name, tuple(shape), np.dtype(dtype)
        self.perm = identity_perm(len(self.shape)) if perm is None else tuple(perm)
        self.mask = mask  # the ONNX name of its (batch, steps) boolean Keras mask, or None

    @property
    def rank(self):
        return len(self.shape)

    def physical_axis(self, axis):
        """Where Keras axis `axis` of this value lies in the graph's tensor."""
        return self.perm.index(axis % self.rank)


class GraphBuilder:
    """Collects nodes and initializers with unique names for one ONNX graph."""

    def __init__(self, opset):
        from npkeras.export.onnx_module import onnx

        self.onnx, self.opset = onnx, opset
        self.nodes, self.initializers, self._names, self._layouts = [], [], set(), {}

    def fresh(self, hint):
        name, n = hint, 0
        while name in self._names:
            n += 1
            name = f"{hint}_{n}"
        self._names.add(name)
        return name

    def constant(self, array, hint):
        name = self.fresh(hint)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def ints(self, values, hint):
        return self.constant(np.asarray(values, dtype=np.int64), hint)

    def tensor_type(self, dtype):
        """ONNX's element type for a NumPy dtype."""
        return self.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))

    def node(self, op, inputs, hint, outputs=1, output_name=None, **attributes):
        """Append one node; its output name (or names, with outputs > 1). An empty input name skips it.
        `output_name` names a single output exactly (a name reserved earlier with `fresh`)."""
        if output_name is not None:
            names = [output_name]
        else:
            names = [self.fresh(f"{hint}_{i}" if outputs > 1 else hint) for i in range(outputs)]
        self.nodes.append(self.onnx.helper.make_node(op, list(inputs), names, name=self.fresh(f"{hint}/{op}"),
                                                     **attributes))  # fmt: skip
        return names[0] if outputs == 1 else names

    def in_layout(self, value, perm):
        """The name of `value` held transposed by `perm` (a Transpose is written once per layout)."""
        perm = tuple(perm)
        if perm == value.perm:
            return value.name
        key = (value.name, perm)
        if key not in self._layouts:
            relative = [value.perm.index(axis) for axis in perm]
            self._layouts[key] = self.node("Transpose", [value.name], f"{value.name}_t", perm=relative)
        return self._layouts[key]

    def keras(self, value):
        """`value` in Keras's own layout."""
        return self.in_layout(value, identity_perm(value.rank))

    def channels_first(self, value):
        return self.in_layout(value, channels_first_perm(value.rank))

    def reduce(self, op, name, axes, keepdims, hint):
        """A Reduce* node over `axes` (an attribute before opset 18, an input from it)."""
        if self.opset >= 18 or op == "ReduceSum":
            return self.node(op, [name, self.ints(axes, f"{hint}_axes")], hint, keepdims=int(keepdims))
        return self.node(op, [name], hint, axes=list(axes), keepdims=int(keepdims))
