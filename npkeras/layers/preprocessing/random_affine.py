"""Random geometric augmentation: RandomFlip, RandomRotation, RandomTranslation, RandomZoom.

Each draws its parameters for the whole batch at once; the affine layers turn them into one transform per
image (Keras's matrices) and sample all images in one gather (npkeras.ops.image.affine_transform). Gradients
flow through the flip and the sampling to the layers below, as they do in Keras-TensorFlow.
"""

import math

import numpy as np

from npkeras.autograd.tensor import as_tensor
from npkeras.layers.preprocessing.image_layer import RandomImageLayer, base_factor, symmetric_factor
from npkeras.ops import image

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


def _batched(inputs):
    """(a rank-4 Tensor, whether the input was already a batch)."""
    x = as_tensor(inputs)
    return (x, True) if x.ndim == 4 else (x[None], False)


class RandomFlip(RandomImageLayer):
    """Flip each image, with probability 1/2, left-right ("horizontal"), up-down ("vertical") or both."""

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f'Layer "{self.name}": `mode` must be one of "{HORIZONTAL}", "{VERTICAL}" or '
                f'"{HORIZONTAL_AND_VERTICAL}". Received: mode={mode!r}'
            )
        self.mode = mode

    def transform(self, inputs):
        batch, _, _ = self._image_shape(inputs.shape)
        return self.flip(inputs, self._uniform(0.0, 1.0, batch) <= 0.5)

    def flip(self, inputs, flips):
        """Flip the images where `flips` (one bool per image) is true."""
        x, batched = _batched(inputs)
        h_axis = 2 if self.data_format == "channels_first" else 1
        axes = {HORIZONTAL: (h_axis + 1,), VERTICAL: (h_axis,), HORIZONTAL_AND_VERTICAL: (h_axis, h_axis + 1)}
        out = image.flip_images(x, flips, axes[self.mode])
        return out if batched else out[0]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode, "data_format": self.data_format}


_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
_INTERPOLATIONS = ("nearest", "bilinear")


class _RandomAffine(RandomImageLayer):
    def __init__(self, fill_mode, interpolation, seed, fill_value, data_format, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if fill_mode not in _FILL_MODES:
            raise NotImplementedError(
                f'Layer "{self.name}": Unknown `fill_mode` {fill_mode}. Expected of one {_FILL_MODES}.'
            )
        if interpolation not in _INTERPOLATIONS:
            raise NotImplementedError(
                f'Layer "{self.name}": Unknown `interpolation` {interpolation}. Expected of one {_INTERPOLATIONS}.'
            )
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def transform(self, inputs):
        batch, height, width = self._image_shape(inputs.shape)
        return self.apply(inputs, self.draw(batch, height, width))

    def apply(self, inputs, matrices):
        """Transform the images by `matrices` (batch, 8): Keras's projective transform rows."""
        x, batched = _batched(inputs)
        out = image.affine_transform(
            x,
            np.asarray(matrices, dtype=np.float32),
            self.interpolation,
            self.fill_mode,
            self.fill_value,
            self.data_format,
        )
        return out if batched else out[0]

    def _affine_config(self):
        return {
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
            "data_format": self.data_format,
        }


def rotation_matrices(angles_degrees, height, width):
    """Keras's rotation about the image centre, one 8-number transform per angle."""
    angle = np.asarray(angles_degrees, dtype=np.float32) * np.float32(math.pi / 180.0)
    cx, cy = np.float32(0.5 * (width - 1)), np.float32(0.5 * (height - 1))
    cos, sin = np.cos(angle), np.sin(angle)
    a0, a1, b0, b1 = cos, -sin, sin, cos
    a2 = cx - cx * a0 - cy * a1
    b2 = cy - cx * b0 - cy * b1
    zeros = np.zeros_like(angle)
    return np.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


class RandomRotation(_RandomAffine):
    """Rotate each image by a random angle in `factor` * 2 pi (a number f: [-f, f]; a pair: that range)."""

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = base_factor(self, factor, (-1, 1))

    def draw(self, batch, height, width):
        angles = self._uniform(self.factor[0] * 360.0, self.factor[1] * 360.0, batch)
        return rotation_matrices(angles, height, width)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, **self._affine_config()}


_TRANSLATION_ERROR = "The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. "
_ZOOM_ERROR = (
    "The `height_factor` and `width_factor` arguments should be a number (or a list of two numbers) "
    "in the range (-1.0, 1.0]. "
)


class RandomTranslation(_RandomAffine):
    """Shift each image by random fractions of its height and width (filled by `fill_mode`)."""

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = symmetric_factor(self, height_factor, (-1, 1), _TRANSLATION_ERROR)
        self.width_lower, self.width_upper = symmetric_factor(self, width_factor, (-1, 1), _TRANSLATION_ERROR)

    def draw(self, batch, height, width):
        dy = self._uniform(self.height_lower, self.height_upper, batch) * height
        dx = self._uniform(self.width_lower, self.width_upper, batch) * width
        return translation_matrices(dx, dy)

    def get_config(self):
        own = {"height_factor": self.height_factor, "width_factor": self.width_factor, **self._affine_config()}
        return {**super().get_config(), **own}


def translation_matrices(dx, dy):
    """Shift by (dx, dy) pixels: each output pixel samples the input at (x - dx, y - dy)."""
    dx, dy = np.asarray(dx, dtype=np.float32), np.asarray(dy, dtype=np.float32)
    ones, zeros = np.ones_like(dx), np.zeros_like(dx)
    return np.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=1)


class RandomZoom(_RandomAffine):
    """Zoom each image about its centre by 1 + a random factor (height, and width or the same as height).

    As in Keras, a positive factor samples a larger region (zooms out), a negative one zooms in.
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = symmetric_factor(self, height_factor, (-1, 1), _ZOOM_ERROR, True)
        if width_factor is not None:
            self.width_lower, self.width_upper = symmetric_factor(self, width_factor, (-1, 1), _ZOOM_ERROR, True)

    def draw(self, batch, height, width):
        zy = self._uniform(1.0 + self.height_lower, 1.0 + self.height_upper, batch)
        zx = zy if self.width_factor is None else self._uniform(1.0 + self.width_lower, 1.0 + self.width_upper, batch)
        return zoom_matrices(zx, zy, height, width)

    def get_config(self):
        own = {"height_factor": self.height_factor, "width_factor": self.width_factor, **self._affine_config()}
        return {**super().get_config(), **own}


def zoom_matrices(zx, zy, height, width):
    """Scale by (zx, zy) about the image centre."""
    zx, zy = np.asarray(zx, dtype=np.float32), np.asarray(zy, dtype=np.float32)
    x_offset = (np.float32(width) - 1) / 2 * (1 - zx)
    y_offset = (np.float32(height) - 1) / 2 * (1 - zy)
    zeros = np.zeros_like(zx)
    return np.stack([zx, zeros, x_offset, zeros, zy, y_offset, zeros, zeros], axis=1)
