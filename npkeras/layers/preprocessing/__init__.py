"""Keras's preprocessing layers."""

from npkeras.layers.preprocessing.category_encoding import CategoryEncoding
from npkeras.layers.preprocessing.discretization import Discretization
from npkeras.layers.preprocessing.hashing import Hashing
from npkeras.layers.preprocessing.integer_lookup import IntegerLookup
from npkeras.layers.preprocessing.normalization import Normalization
from npkeras.layers.preprocessing.random_affine import RandomFlip, RandomRotation, RandomTranslation, RandomZoom
from npkeras.layers.preprocessing.random_color import RandomBrightness, RandomContrast
from npkeras.layers.preprocessing.random_crop import RandomCrop
from npkeras.layers.preprocessing.rescaling import Rescaling
from npkeras.layers.preprocessing.resizing import CenterCrop, Resizing
from npkeras.layers.preprocessing.string_lookup import StringLookup
from npkeras.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "StringLookup",
    "TextVectorization",
]
