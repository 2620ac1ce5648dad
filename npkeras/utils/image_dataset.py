"""image_dataset_from_directory: image files in class subfolders as batches of float32 (B, H, W, C) images.

PNG files are read by npkeras's own decoder (npkeras/utils/png.py); other formats (JPEG, BMP, GIF) need Pillow,
the optional extra `pip install 'npkeras[images]'`. Images are resized as Keras-TensorFlow resizes them
(tf.image.resize: half-pixel centres, no antialiasing), optionally centre-cropped to the target aspect ratio first.
"""

import numpy as np

from npkeras.utils import directory_index
from npkeras.utils.batched_dataset import BatchedDataset
from npkeras.utils.png import decode_png, is_png

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def _decode_with_pillow(path):
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            f"Reading {path} needs Pillow (npkeras decodes PNG itself, other image formats through Pillow). "
            "Install the optional extra: pip install 'npkeras[images]' (or pip install 'pillow>=9')."
        ) from None
    with Image.open(path) as img:
        alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        mode = "L" if img.mode in ("L", "1") else "RGBA" if alpha else "RGB"
        return np.asarray(img.convert(mode))


def read_image(path):
    """The file's pixels as a uint8 (H, W, C) array, C in 1..4."""
    with open(path, "rb") as f:
        data = f.read()
    image = decode_png(data) if is_png(data) else _decode_with_pillow(path)
    return image[..., None] if image.ndim == 2 else image


def to_channels(image, channels):
    """Convert (H, W, C) uint8 to `channels` (1, 3 or 4) as tf.image.decode_image(channels=...) does."""
    have = image.shape[-1]
    if have == channels:
        return image
    if have == 2:  # gray + alpha
        image = (
            image[..., :1] if channels == 1 else np.concatenate([np.repeat(image[..., :1], 3, -1), image[..., 1:]], -1)
        )
        return image if image.shape[-1] == channels else image[..., :3]
    if channels == 1:  # libpng's rgb_to_gray as TensorFlow's decoder runs it: 0.299, 0.587 in 1/32768ths, truncated
        rgb = image[..., :3].astype(np.int32)
        gray = (9797 * rgb[..., 0] + 19234 * rgb[..., 1] + 3737 * rgb[..., 2]) >> 15
        return gray.astype(np.uint8)[..., None]
    if have == 1:
        image = np.repeat(image, 3, axis=-1)
    if channels == 4:
        return np.concatenate([image[..., :3], np.full(image.shape[:2] + (1,), 255, np.uint8)], -1)
    return image[..., :3]


def crop_box(height, width, target):
    """Keras's smart_resize centre crop: the largest box of the target aspect ratio, centred."""
    crop_h = max(min(height, int(float(width * target[0]) / target[1])), 1)
    crop_w = max(min(width, int(float(height * target[1]) / target[0])), 1)
    top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
    return slice(top, top + crop_h), slice(left, left + crop_w)


def pad_box(height, width, target):
    """tf.image.resize_with_pad's geometry, in float32 as TensorFlow computes it: the size the image is resized
    to (aspect ratio kept, fitting inside `target`) and the (top, left) offset of the zero padding."""
    h, w, th, tw = (np.float32(v) for v in (height, width, *target))
    ratio = max(w / tw, h / th)
    size_h, size_w = h / ratio, w / ratio
    top, left = max(0, int(np.floor((th - size_h) / 2))), max(0, int(np.floor((tw - size_w) / 2)))
    return (int(np.floor(size_h)), int(np.floor(size_w))), (top, left)


def resize(image, size, interpolation):
    """A uint8 (H, W, C) image resized as tf.image.resize: float32, or uint8 picked pixels for "nearest"."""
    from npkeras.ops.image import resize_matrix  # ops sit above utils: looked up when an image is read

    if interpolation == "nearest":
        pick_h = resize_matrix(image.shape[0], size[0], "nearest").argmax(axis=1)
        pick_w = resize_matrix(image.shape[1], size[1], "nearest").argmax(axis=1)
        return image[pick_h[:, None], pick_w[None, :]]
    mh = resize_matrix(image.shape[0], size[0], interpolation).astype(np.float32)
    mw = resize_matrix(image.shape[1], size[1], interpolation).astype(np.float32)
    return np.einsum("ih,hwc,jw->ijc", mh, image.astype(np.float32), mw, optimize=True).astype(np.float32)


def load_image(path, image_size, channels, interpolation="bilinear", crop_to_aspect_ratio=False, pad=False):
    """One image file as (image_size[0], image_size[1], channels): float32, or uint8 for "nearest" (which picks
    pixels without computing any, and keeps their dtype in TensorFlow's resize). `crop_to_aspect_ratio` first
    cuts the centre box of the target's aspect ratio; `pad` (pad_to_aspect_ratio) resizes to fit and pads with 0."""
    image = to_channels(read_image(path), channels)
    if crop_to_aspect_ratio:
        rows, cols = crop_box(image.shape[0], image.shape[1], image_size)
        image = image[rows, cols]
    if not pad:
        return resize(image, image_size, interpolation)
    size, (top, left) = pad_box(image.shape[0], image.shape[1], image_size)
    inner = resize(image, size, interpolation)
    out = np.zeros((*image_size, channels), inner.dtype)
    out[top : top + size[0], left : left + size[1]] = inner
    return out


def _image_loader(paths, image_size, channels, interpolation, crop, pad, channels_first):
    def load(rows):
        batch = np.stack([load_image(paths[i], image_size, channels, interpolation, crop, pad) for i in rows])
        return np.ascontiguousarray(batch.transpose(0, 3, 1, 2)) if channels_first else batch

    return load


def _make(
    paths,
    labels,
    reshuffle_seed,
    label_mode,
    class_names,
    batch_size,
    image_size,
    channels,
    interpolation,
    crop,
    pad,
    channels_first,
):
    y = None if labels is None else directory_index.encode_labels(labels, label_mode, len(class_names or ()))
    load = _image_loader(paths, image_size, channels, interpolation, crop, pad, channels_first)
    dataset = BatchedDataset(paths, y, batch_size, load=load, length=len(paths), reshuffle_seed=reshuffle_seed)
    dataset.class_names, dataset.file_paths = class_names, list(paths)
    return dataset


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    format="tf",
    verbose=True,
):
    """A BatchedDataset (a PyDataset) of (images, labels) batches, or of images alone with labels=None;
    subset="both" returns [training, validation]. Images are float32 (B, H, W, C) in [0, 255] (uint8 with
    interpolation="nearest", as Keras-TensorFlow yields them); labels int32
    (label_mode "int"), float32 one-hot ("categorical") or float32 (B, 1) ("binary")."""
    directory_index.check_labels_args(labels, label_mode, class_names)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if color_mode not in _CHANNELS:
        raise ValueError(
            f'`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: color_mode={color_mode}'
        )
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(
            f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={image_size}"
        )
    interpolation = interpolation.lower()
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"Argument `interpolation` should be one of {INTERPOLATIONS}. Received: interpolation={interpolation}"
        )
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.")
    data_format = "channels_last" if data_format is None else str(data_format).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}"
        )
    directory_index.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = directory_index.index_directory(
        directory, labels, ALLOWLIST_FORMATS, class_names, shuffle, seed, follow_links, verbose
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )
    channels = _CHANNELS[color_mode]
    args = (label_mode, class_names, batch_size, tuple(image_size), channels, interpolation, crop_to_aspect_ratio)
    args += (pad_to_aspect_ratio, data_format == "channels_first")
    subsets = ("training", "validation") if subset == "both" else (subset,)
    datasets = []
    for part in subsets:
        part_paths, part_labels = directory_index.training_or_validation_split(
            paths, labels, validation_split, part, verbose
        )
        if not part_paths:
            what = f"No {part} images" if subset == "both" else "No images"
            raise ValueError(f"{what} found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")
        held_out = subset == "both" and part == "validation"  # the one split Keras does not reshuffle
        reshuffle = seed if shuffle and not held_out else None
        datasets.append(_make(part_paths, part_labels, reshuffle, *args))
    return datasets if subset == "both" else datasets[0]
