"""The masks layers attach to their outputs (Embedding(mask_zero=True), Masking, ...), as Keras 3 does.

A mask is a boolean array over an output's leading axes (batch, timesteps). Keras code reads it as
`tensor._keras_mask`, so Tensors get that attribute here, backed by an annotation outside the Tensor.
"""

import numpy as np

from npkeras.autograd.annotations import TensorAnnotation
from npkeras.autograd.tensor import Tensor

_masks = TensorAnnotation("mask")
Tensor._keras_mask = _masks.as_property("The boolean mask a layer attached to this output (None if none).")


def get_mask(tensor):
    return _masks.get(tensor) if isinstance(tensor, Tensor) else None


def set_mask(tensor, mask):
    _masks.set(tensor, None if mask is None else np.asarray(mask, dtype=bool))


def attach_masks(outputs, masks):
    """Set each output's mask (a list of masks for a list of outputs), unless it already has one."""
    if masks is None:
        return
    if isinstance(outputs, (list, tuple)):
        masks = masks if isinstance(masks, (list, tuple)) else [masks] * len(outputs)
        for out, m in zip(outputs, masks):
            attach_masks(out, m)
    elif isinstance(outputs, Tensor) and get_mask(outputs) is None:
        set_mask(outputs, masks.data if isinstance(masks, Tensor) else masks)
