"""What every application shares: Keras's arguments (include_top, weights, input_tensor, input_shape, pooling,
classes, classifier_activation), the input they build and the head they end with."""

import os

from npkeras import layers
from npkeras.layers.keras_tensor import KerasTensor


def check_arguments(name, weights, include_top, classes, input_shape, default_shape, min_size):
    """Keras's argument checks, and the input shape to build (default_shape when none is given)."""
    if weights == "imagenet":
        raise ValueError(
            f"{name}: npkeras cannot download pretrained weights. Pass weights=None (random initialization) or "
            "the path to a weights file saved for this architecture (e.g. from Keras: model.save_weights(...))."
        )
    if weights is not None and not os.path.exists(weights):
        raise ValueError(
            f"The `weights` argument should be either `None` (random initialization) or the path to the weights "
            f"file to be loaded. Received: weights={weights!r}, which does not exist."
        )
    if not isinstance(classes, int) or classes < 1:
        raise ValueError(f"{name}: `classes` must be a positive integer. Received: classes={classes!r}")
    if input_shape is None:
        return tuple(default_shape)
    input_shape = tuple(input_shape)
    if len(input_shape) != 3:
        raise ValueError(f"{name}: `input_shape` must be (height, width, channels). Received: {input_shape}")
    if include_top and None in input_shape and name in FLATTEN_TOPS:
        raise ValueError(
            f"{name} with include_top=True (a Flatten before its dense layers) needs a static input_shape; "
            f"received {input_shape}. Use include_top=False with pooling= for variable sizes."
        )
    if any(d is not None and d < min_size for d in input_shape[:2]):
        raise ValueError(
            f"{name}: input size must be at least {min_size}x{min_size}; received input_shape={input_shape}"
        )
    return input_shape


FLATTEN_TOPS = {"vgg11", "vgg13", "vgg16", "vgg19", "alexnet", "lenet5"}


def model_input(input_tensor, input_shape):
    """The model's Input: a new one of `input_shape`, or `input_tensor` (its source Input when it is a layer output)."""
    if input_tensor is None:
        return layers.Input(shape=input_shape), None
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError(f"`input_tensor` must be a tensor from npkeras.Input. Received: {input_tensor!r}")
    return input_tensor, input_tensor


def head(x, include_top, pooling, classes, classifier_activation, flatten_top=None):
    """The classifier (GlobalAveragePooling or the given Flatten-based top, then Dense(classes)), or pooling."""
    if include_top:
        if flatten_top is not None:
            return flatten_top(x)
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    if pooling is not None:
        raise ValueError(f'`pooling` must be None, "avg" or "max". Received: pooling={pooling!r}')
    return x


def finish(inputs, outputs, name, weights):
    """The Model, with weights loaded from `weights` when it names a file."""
    from npkeras.models.functional import Functional

    model = Functional(inputs, outputs, name=name)
    if weights is not None:
        model.load_weights(weights)
    return model
