"""Calling a layer on symbolic inputs (KerasTensors): infer the output shapes and record the call as a Node.

Shapes come from running the layer on zeros: once, as they are, when every input shape is known (an Input
with a batch_shape), once with a batch of 1 when only the batch axis is unknown, else
twice, the unknown batch axis set to 1 and then 2 and every other unknown dimension to 32 and then 64 (long
enough for a kernel, and doubled so that a strided or pooled size changes too), so an output dimension that
follows an unknown input dimension comes out unknown (None) too.
"""

import numpy as np

from npkeras.autograd import mode
from npkeras.autograd.tensor import Tensor
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.masks import get_mask, set_mask

PROBES = (1, 2)  # the batch axis
LENGTH_PROBES = (32, 64)  # any other unknown axis (a sequence's steps, an image's height)


def flatten(structure):
    """The leaves of nested lists, tuples and dicts, left to right, a dict's by sorted key as Keras's tree.flatten
    has them (a model's dict of outputs {"b": .., "a": ..} flattens to [a, b])."""
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    return [structure]


def map_structure(fn, structure):
    """The same nesting with fn applied to every leaf, in flatten()'s order; a dict keeps its own key order."""
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    if isinstance(structure, dict):
        mapped = {key: map_structure(fn, structure[key]) for key in sorted(structure)}
        return {key: mapped[key] for key in structure}
    return fn(structure)


def is_symbolic(*structures):
    return any(isinstance(leaf, KerasTensor) for s in structures for leaf in flatten(s))


class Node:
    """One call of `layer` on symbolic inputs: the arguments as given and the output KerasTensors."""

    def __init__(self, layer, args, kwargs, outputs):
        self.layer, self.args, self.kwargs = layer, args, kwargs
        self.input_tensors = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        self.outputs = outputs  # as the layer returned them (a KerasTensor, or a list of them)
        self.output_tensors = flatten(outputs)
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, tensor in enumerate(self.output_tensors):
            tensor._keras_history = (layer, self.index, i)

    @property
    def parent_nodes(self):
        return [t._keras_history[0]._inbound_nodes[t._keras_history[1]] for t in self.input_tensors]


class _Spec:
    """The shape and dtype of one output of a probe run, and its mask's shape (None: no mask)."""

    def __init__(self, shape, dtype, mask_shape):
        self.shape, self.dtype, self.mask_shape = shape, dtype, mask_shape


def _probe_shape(shape, run):
    return tuple((PROBES if axis == 0 else LENGTH_PROBES)[run] if d is None else d for axis, d in enumerate(shape))


def _probe(value, run):
    """Zeros standing for a KerasTensor, with a mask of ones where the KerasTensor carries a mask."""
    if not isinstance(value, KerasTensor):
        return value
    probe = Tensor(np.zeros(_probe_shape(value.shape, run), dtype=value.dtype))
    if value._keras_mask is not None:
        set_mask(probe, np.ones(_probe_shape(value._keras_mask.shape, run), dtype=bool))
    return probe


def _specs(outputs, layer):
    def spec(out):
        if not isinstance(out, (Tensor, np.ndarray)):
            raise TypeError(f'Layer "{layer.name}" returned {type(out).__name__}, not a tensor, from a symbolic call')
        mask = get_mask(out) if isinstance(out, Tensor) else None
        return _Spec(tuple(out.shape), str(out.dtype), None if mask is None else tuple(mask.shape))

    return map_structure(spec, outputs)


def _symbolic_shape(shape1, shape2, batch_only):
    """The symbolic shape of what came out as `shape1` and `shape2` from the two probes: None where they differ."""
    if batch_only:
        return (None,) + tuple(shape1[1:])
    if len(shape1) != len(shape2):
        return (None,) * len(shape1)
    return tuple(None if a != b else a for a, b in zip(shape1, shape2))


def _symbolic_output(spec1, spec2, batch_only):
    tensor = KerasTensor(_symbolic_shape(spec1.shape, spec2.shape, batch_only), dtype=spec1.dtype)
    if spec1.mask_shape is not None and spec2.mask_shape is not None:  # the mask a layer attached, as Keras has it
        tensor._keras_mask = KerasTensor(_symbolic_shape(spec1.mask_shape, spec2.mask_shape, batch_only), "bool")
    return tensor


def _symbolic_shapes_in(message, symbolic_inputs, run):
    """An error raised on a probe, with the probe's shapes written back as the symbolic ones (None included)."""
    for t in symbolic_inputs:
        message = message.replace(str(_probe_shape(t.shape, run)), str(tuple(t.shape)))
    return message


def symbolic_call(layer, args, kwargs):
    """Build `layer` if needed, infer its outputs' shapes and return KerasTensors recording this call."""
    if hasattr(layer, "compute_output_spec"):  # a layer that knows its outputs (text in, data-dependent lengths)
        if not layer.built and isinstance(args[0], KerasTensor):
            layer._maybe_build(args[0].shape)
        outputs = layer.compute_output_spec(*args, **{k: v for k, v in kwargs.items() if k != "training"})
        Node(layer, args, kwargs, outputs)
        return outputs
    first_input = args[0]
    if not layer.built and isinstance(first_input, KerasTensor):
        layer._maybe_build(first_input.shape)  # so build errors show the symbolic shapes, batch axis None
    elif (
        not layer.built
        and isinstance(first_input, (list, tuple))
        and all(isinstance(t, KerasTensor) for t in first_input)
    ):
        layer._maybe_build([t.shape for t in first_input])
    symbolic_inputs = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
    static = all(None not in t.shape for t in symbolic_inputs)  # Input(batch_shape=...): the shapes as they come
    batch_only = not static and all(None not in t.shape[1:] for t in symbolic_inputs)
    runs = []
    for run in range(1 if static or batch_only else 2):  # one run, batch 1, when only the batch axis is unknown
        probe_args = map_structure(lambda v, r=run: _probe(v, r), args)
        probe_kwargs = {
            k: map_structure(lambda v, r=run: _probe(v, r), v) for k, v in kwargs.items() if k != "training"
        }
        try:
            with mode.no_grad(), np.errstate(all="ignore"):  # zeros give 0/0 in many a layer: no warning about it
                runs.append(_specs(type(layer).__call__(layer, *probe_args, **probe_kwargs), layer))
        except ValueError as e:
            raise ValueError(_symbolic_shapes_in(str(e), symbolic_inputs, run)) from e
    first = flatten(runs[0])
    second = flatten(runs[-1])
    if len(first) != len(second):
        raise ValueError(f'Layer "{layer.name}" returned a different number of outputs for different input sizes')
    tensors = iter(_symbolic_output(s1, s2, batch_only) for s1, s2 in zip(first, second))
    outputs = map_structure(lambda _: next(tensors), runs[0])
    Node(layer, args, kwargs, outputs)
    return outputs
