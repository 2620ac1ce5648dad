"""TextVectorization: raw strings to token indices (or multi-hot / count / tf-idf vectors).

Standardize ("lower_and_strip_punctuation", "lower", "strip_punctuation", None or a callable on a str array),
split ("whitespace", "character", None or a callable from a str array to lists of tokens), optional ngrams,
then a StringLookup with mask token "" (index 0 pads) and one OOV index. Lowercasing is ASCII-only and
punctuation is the 32 ASCII marks, as TensorFlow's `tf.strings.lower` / `regex_replace` do here.
"""

import re
import string

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.config import floatx
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.preprocessing.category_encoding import as_values, check_output_mode, encode
from npkeras.layers.preprocessing.data_layer import DataLayer
from npkeras.layers.preprocessing.string_lookup import StringLookup
from npkeras.saving.functions import deserialize_function, serialize_function

_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)
_WHITESPACE_TOKEN = re.compile(r"[^ \t\n\r\x0b\x0c]+")


def _serialized(value):
    return serialize_function(value) if callable(value) else value


def _check_choice(value, name, allowed):
    if value is not None and not callable(value) and value not in allowed:
        raise ValueError(
            f"Unknown value for `{name}` of layer TextVectorization. This argument should be one of "
            f"{list(allowed)} (or None, or a callable). Received: {name}={value}"
        )


class TextVectorization(DataLayer):
    """Maps text to sequences of token indices, or to vectors over a vocabulary learned with `adapt`."""

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        if ragged:
            raise ValueError("`ragged=True` can only be used with the TensorFlow backend.")
        _check_choice(standardize, "standardize", ("lower_and_strip_punctuation", "lower", "strip_punctuation"))
        _check_choice(split, "split", ("whitespace", "character"))
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_output_mode("TextVectorization", output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"))
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or isinstance(ngrams, tuple)
            and all(isinstance(item, int) for item in ngrams)
        ):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}")
        if output_mode == "int" and not (output_sequence_length is None or isinstance(output_sequence_length, int)):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when `output_mode` is 'int'. "
                f"Received: output_sequence_length={output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )

    # ---- vocabulary -------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary from a list or array of strings, or from an iterable of batches of them."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, Tensor)):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        rows, _ = self._preprocess(data)
        self._lookup_layer.update_state(rows)

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ---- text to tokens ---------------------------------------------------------------
    def _standardized(self, texts):
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            texts = np.array([t.translate(_LOWER) for t in texts.reshape(-1).tolist()], dtype=str).reshape(texts.shape)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            texts = np.array([t.translate(_NO_PUNCTUATION) for t in texts.reshape(-1).tolist()], dtype=str).reshape(
                texts.shape
            )
        if callable(self._standardize):
            texts = as_values(np.asarray(self._standardize(texts)))
        return texts

    def _tokens(self, text):
        if self._split == "whitespace":
            tokens = _WHITESPACE_TOKEN.findall(text)
        elif self._split == "character":
            tokens = list(text)
        else:
            tokens = [str(t) for t in self._split(text)]
        if self._ngrams is not None:
            tokens = [" ".join(tokens[i : i + n]) for n in self._ngrams for i in range(len(tokens) - n + 1)]
        return np.array(tokens, dtype=str)

    def _preprocess(self, inputs):
        """([1-D token array per text], split?) for a batch of texts (shape (batch,) or (batch, 1))."""
        texts = as_values(inputs)
        if texts.dtype.kind != "U":
            texts = texts.astype(str)
        texts = self._standardized(texts)
        if self._split is None:
            texts = texts.reshape(-1, 1) if texts.ndim <= 1 else texts
            return list(texts), False
        if texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError(
                    "When using `TextVectorization` to tokenize strings, the input rank must be 1 or the last shape "
                    f"dimension must be 1. Received: inputs.shape={texts.shape} with rank={texts.ndim}"
                )
            texts = texts[..., 0]
        return [self._tokens(t) for t in texts.reshape(-1).tolist()], True

    # ---- calling ----------------------------------------------------------------------
    def call(self, inputs):
        rows, _ = self._preprocess(inputs)
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        flat = np.concatenate(rows) if rows else np.array([], dtype=str)
        ids = self._lookup_layer.lookup(flat.astype(str))
        width = self._output_sequence_length
        if width is None:
            width = int(lengths.max()) if len(lengths) else 0
        padded = np.full((len(rows), max(width, int(lengths.max()) if len(lengths) else 0)), -1, dtype=np.int64)
        padded[np.arange(padded.shape[1])[None, :] < lengths[:, None]] = ids
        if self._output_mode == "int":
            out = padded[:, :width]
            return Tensor(np.where(out < 0, 0, out))
        depth = self._lookup_layer._depth()
        mode = "count" if self._output_mode == "tf_idf" else self._output_mode
        encoded = encode(padded, mode, depth, floatx() if self._output_mode == "tf_idf" else "int64")
        if self._output_mode == "tf_idf":
            encoded = encoded * self._lookup_layer.idf_weights
        return Tensor(encoded)

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        return (input_shape[0], self._lookup_layer._depth())

    def compute_output_spec(self, inputs):
        dtype = floatx() if self._output_mode == "tf_idf" else "int64"  # counts are int64, as Keras-TF returns them
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # ---- config and assets ------------------------------------------------------------
    def get_config(self):
        lookup = self._lookup_layer
        return {
            **super().get_config(),
            "max_tokens": lookup.max_tokens,
            "standardize": _serialized(self._standardize),
            "split": _serialized(self._split),
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": False,
            "ragged": False,
            "vocabulary": lookup.get_config()["vocabulary"],
            "idf_weights": lookup.get_config()["idf_weights"],
            "encoding": self._encoding,
            # the size a deserialized layer was saved with, until its vocabulary asset is loaded
            "vocabulary_size": lookup._frozen_vocab_size or self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):  # a registered function, as Keras serializes it
                config[key] = deserialize_function(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def get_build_config(self):
        return None

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)
