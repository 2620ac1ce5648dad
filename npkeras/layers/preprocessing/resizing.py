"""Resizing and CenterCrop: deterministic image geometry, differentiable as in Keras-TensorFlow."""

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import Tensor
from npkeras.layers.input_spec import check_data_format
from npkeras.layers.layer import Layer
from npkeras.ops import image


def _check_image_rank(layer, shape):
    if len(shape) not in (3, 4):
        raise ValueError(
            f'Layer "{layer.name}" expects images of rank 3 (one image) or 4 (a batch of images). '
            f"Received input with shape: {tuple(shape)}"
        )


def _spatial_axes(ndim, data_format):
    h = ndim - (2 if data_format == "channels_first" else 3)
    return h, h + 1


def _crop(x, h_axis, top, height, left, width):
    key = [slice(None)] * x.ndim
    key[h_axis], key[h_axis + 1] = slice(top, top + height), slice(left, left + width)
    return x[tuple(key)]


class Resizing(Layer):
    """Resize images to (height, width) with tf.image.resize's "bilinear", "nearest" or "bicubic" sampling."""

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.data_format = check_data_format(self, data_format)
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)
        try:  # ops.image.resize's argument checks, made here at construction (Keras makes them at the call)
            image.resize(
                np.zeros((1, 1, 1)),
                (1, 1),
                interpolation,
                antialias,
                crop_to_aspect_ratio,
                pad_to_aspect_ratio,
                fill_mode,
                fill_value,
            )
        except ValueError as e:
            raise ValueError(f'Layer "{self.name}": {e}') from None
        self.built = True

    def _array_input_dtype(self):
        return None  # integer images stay integers, as in Keras (resized in float, then rounded back)

    def call(self, inputs):
        _check_image_rank(self, inputs.shape)
        integer = np.dtype(inputs.dtype).kind in "iu"
        x = ops.cast(inputs, "float32") if integer else ops.cast(inputs, self.dtype)
        y = image.resize(
            x,
            (self.height, self.width),
            self.interpolation,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        if not integer:
            return y
        limits = np.iinfo(inputs.dtype)  # round half to even and saturate, as Keras casts back
        return Tensor(np.clip(np.round(np.asarray(y)), limits.min, limits.max).astype(inputs.dtype))

    def compute_output_shape(self, input_shape):
        return _with_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
            "data_format": self.data_format,
        }


class CenterCrop(Layer):
    """Crop the central (height, width) of images; an image smaller than that is resized up (Keras's smart
    resize: crop to the target aspect ratio, then bilinear)."""

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = height, width
        self.data_format = check_data_format(self, data_format)
        self.built = True

    def call(self, inputs):
        _check_image_rank(self, inputs.shape)
        h_axis, _ = _spatial_axes(inputs.ndim, self.data_format)
        h_diff = inputs.shape[h_axis] - self.height
        w_diff = inputs.shape[h_axis + 1] - self.width
        if h_diff >= 0 and w_diff >= 0:
            return _crop(inputs, h_axis, h_diff // 2, self.height, w_diff // 2, self.width)
        return image.resize(inputs, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return _with_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "data_format": self.data_format}


def _with_size(input_shape, height, width, data_format):
    shape = list(input_shape)
    h_axis, w_axis = _spatial_axes(len(shape), data_format)
    shape[h_axis], shape[w_axis] = height, width
    return tuple(shape)
