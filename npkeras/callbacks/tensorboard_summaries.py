"""The summaries TensorBoard's callback writes that tensorboardX has no call for, made as Keras-TensorFlow makes them.

- the model's config as a "keras" string tensor for TensorBoard's graph plugin (its conceptual graph);
- weights as images: squeezed, laid out and converted to 8 bits as `tf.summary.image` does, three images at most;
- the names Keras 3 gives weights (their paths inside the Sequential and subclassed models that built them).
"""

import re
import struct
import zlib

import numpy as np

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w.]")  # what tensorboardX replaces in its own tags


def clean_tag(tag):
    return _INVALID_TAG_CHARACTERS.sub("_", tag).lstrip("/")


def keras_model_summary(json_text):
    """The Summary Keras writes for a Functional or Sequential model: tag "keras", its JSON config."""
    return _string_tensor_summary("keras", "graph_keras_model", b"1", [json_text.encode("utf-8")], scalar=True)


def image_summary(tag, weight, max_outputs=3):
    """The Summary of `weight` as images, or None where Keras writes none (a 4-D kernel, a scalar, integers)."""
    images = weight_images(weight)
    if images is None:
        return None
    height, width = images.shape[1:3]
    encoded = [png(image) for image in images[:max_outputs]]
    return _string_tensor_summary(clean_tag(tag), "images", b"", [str(width).encode(), str(height).encode(), *encoded])


def weight_images(weight):
    """(n, height, width, channels) uint8 images of a weight laid out as Keras does, or None where it skips it:
    a bias is one column, a kernel one image (transposed to be wider than tall), a 3-D kernel one image per
    channel; floats in [0, 1] become 0..255 (`tf.image.convert_image_dtype`, saturating)."""
    value = np.squeeze(np.asarray(weight))
    if value.dtype.kind != "f":
        return None
    if value.ndim == 1:
        value = value.reshape(1, value.shape[0], 1, 1)
    elif value.ndim == 2:
        if value.shape[0] > value.shape[1]:
            value = value.T
        value = value.reshape(1, *value.shape, 1)
    elif value.ndim == 3:  # channels_last: one image per channel
        value = np.transpose(value, (2, 0, 1))[..., None]
    if value.ndim != 4 or value.shape[-1] not in (1, 3, 4):
        return None
    with np.errstate(invalid="ignore"):
        scaled = np.nan_to_num(value.astype(np.float64) * 255.5, nan=0.0)
    return np.clip(scaled, 0, 255).astype(np.uint8)


def png(image):
    """PNG bytes of an (height, width, channels) uint8 image: gray, RGB or RGBA."""
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = np.zeros((height, 1 + width * channels), dtype=np.uint8)  # filter byte 0 (None) before each row
    rows[:, 1:] = image.reshape(height, width * channels)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes()))
        + chunk(b"IEND", b"")
    )


def keras_weight_names(model):
    """[(name, weight)] for each weight of each layer in model.layers, named as Keras 3's TensorBoard names them:
    the weight's path inside the models that built it, ":" written "_"."""
    from npkeras.models.functional import Functional
    from npkeras.models.model import Model

    def scope(container, outer):
        # Keras builds a Sequential's or a subclassed model's layers inside its name scope; a functional model's
        # layers are built when they are called on Inputs, outside any model's scope
        return "" if isinstance(container, Functional) else f"{outer}{container.name}/"

    paths = {}

    def walk(container, prefix):
        for layer in container.layers:
            if isinstance(layer, Model):
                walk(layer, scope(layer, prefix))
            else:
                for weight in layer.weights:
                    paths.setdefault(id(weight), prefix + weight.path)

    walk(model, scope(model, ""))
    return [
        (paths.get(id(weight), weight.path).replace(":", "_"), weight)
        for layer in model.layers
        for weight in layer.weights
    ]


def _string_tensor_summary(tag, plugin_name, content, strings, scalar=False):
    from tensorboardX.proto.summary_pb2 import Summary, SummaryMetadata
    from tensorboardX.proto.tensor_pb2 import TensorProto
    from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto
    from tensorboardX.proto.types_pb2 import DT_STRING

    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=plugin_name, content=content))
    dims = [] if scalar else [TensorShapeProto.Dim(size=len(strings))]
    tensor = TensorProto(dtype=DT_STRING, tensor_shape=TensorShapeProto(dim=dims), string_val=strings)
    return Summary(value=[Summary.Value(tag=tag, metadata=metadata, tensor=tensor)])
