"""RandomCrop: a random (height, width) window of the images in training, Keras's central window otherwise."""

from npkeras.layers.preprocessing.image_layer import RandomImageLayer
from npkeras.layers.preprocessing.resizing import _crop, _spatial_axes, _with_size
from npkeras.ops import image


class RandomCrop(RandomImageLayer):
    """Crop (height, width) at a random place, one place for the whole batch as in Keras.

    At inference, and in training when the images are not larger than the window on both axes, the layer
    returns the largest central window of the target aspect ratio resized to (height, width), as Keras
    documents: the output always has the layer's size. Gradients flow through the crop to the layers below.
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height, self.width = height, width

    def call(self, inputs, training=True):
        _, in_height, in_width = self._image_shape(inputs.shape)
        if training and in_height > self.height and in_width > self.width:
            top = int(self._uniform(0.0, in_height - self.height + 1, None))
            left = int(self._uniform(0.0, in_width - self.width + 1, None))
            h_axis, _ = _spatial_axes(inputs.ndim, self.data_format)
            return _crop(inputs, h_axis, top, self.height, left, self.width)
        return image.resize(inputs, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return _with_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed}
