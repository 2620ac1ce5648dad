"""IndexLookup: the vocabulary table behind StringLookup, IntegerLookup and TextVectorization.

Index layout, as in Keras: [mask token (only in "int" mode)] [num_oov_indices OOV buckets] [tokens].
`adapt` counts tokens and orders them by count, most frequent first, ties broken by token from highest
to lowest (Keras's `np.lexsort((tokens, counts))[::-1]`). The vocabulary is saved as the layer's asset
"vocabulary.txt" (one token a line, special tokens included) unless it was given to the constructor.
"""

import os

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.config import floatx
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.preprocessing.category_encoding import as_values, check_output_mode, encode, encoded_shape
from npkeras.layers.preprocessing.data_layer import DataLayer
from npkeras.layers.preprocessing.farmhash import hash_buckets, hash_buckets_strong

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
VOCABULARY_FILE, IDF_FILE = "vocabulary.txt", "idf_weights.txt"


class IndexLookup(DataLayer):
    """Maps tokens (strings or integers) to indices through a fixed or adapted vocabulary, or back (`invert`)."""

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        name=None,
        salt=None,
        **kwargs,
    ):
        cls = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(
                f"`num_oov_indices` must be greater than or equal to 0. Received: num_oov_indices={num_oov_indices}"
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"Unknown value for `oov_method` of layer {cls}. This argument should be one of "
                f"['floormod', 'farmhash']. Received: oov_method={oov_method}"
            )
        if salt is not None:
            if vocabulary_dtype not in ("string", "str") and oov_method != "farmhash":
                raise ValueError(
                    f"`salt` can only be used when `oov_method='farmhash'`. Received: oov_method={oov_method}"
                )
            salt = _salt_pair(salt, cls)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_output_mode(cls, output_mode, OUTPUT_MODES)
        if invert and output_mode != "int":
            raise ValueError(
                f"`output_mode` must be `'int'` when `invert` is true. Received: output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, `'count'` or "
                f"`'tf_idf'`. Received: sparse={sparse} and output_mode={output_mode}"
            )
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                f"idf_weights={idf_weights} and output_mode={output_mode}"
            )
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.invert = bool(invert)
        self.max_tokens = max_tokens
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.vocabulary_dtype = "string" if vocabulary_dtype in ("string", "str") else np.dtype(vocabulary_dtype).name
        self.oov_method = oov_method
        self.salt = salt
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = bool(has_input_vocabulary)
        self.idf_weights = None
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(
                "When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument "
                "must also be provided."
            )
        self._tokens = self._as_tokens([])
        self._index_table()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()

    # ---- the vocabulary ---------------------------------------------------------------
    def _is_text(self):
        return self.vocabulary_dtype == "string"

    def _as_tokens(self, values):
        if self._is_text():
            values = np.asarray(values)
            return as_values(values).astype(str) if values.size else np.array([], dtype=str)
        return np.asarray(values, dtype=np.int64).reshape(-1) if len(values) else np.array([], dtype=np.int64)

    def _as_keys(self, values):
        """An array of tokens as the table keys them: str for text, int64 for integers."""
        if self._is_text():
            return values if values.dtype.kind == "U" else values.astype(str)
        return values if values.dtype.kind in "iu" else values.astype(np.int64)

    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def _index_table(self):
        order = np.argsort(self._tokens, kind="stable")
        self._sorted_tokens = self._tokens[order]
        self._sorted_indices = (order + self._token_start_index()).astype(np.int64)

    def vocabulary_size(self):
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        specials = [self.oov_token] * self._token_start_index()
        if self.mask_token is not None and self.output_mode == "int":
            specials[0] = self.mask_token
        vocab = specials + self._tokens.tolist()
        return vocab if include_special_tokens else vocab[self._token_start_index() :]

    def set_vocabulary(self, vocabulary, idf_weights=None):
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                f"output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, (str, os.PathLike)):
            vocabulary = self._read_vocabulary_file(os.fspath(vocabulary))
        vocabulary = self._as_tokens(list(np.asarray(vocabulary).reshape(-1)))
        if vocabulary.size == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        token_start = self._token_start_index()
        specials = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        found_specials = len(vocabulary) >= token_start and vocabulary[:token_start].tolist() == specials
        tokens = vocabulary[token_start:] if found_specials else vocabulary
        unique, counts = np.unique(tokens, return_counts=True)
        if (counts > 1).any():
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated "
                f"terms are: {unique[counts > 1].tolist()}"
            )
        for token, what in ((self.mask_token, "mask_token"), (self.oov_token if self.invert else None, "oov_token")):
            if token is not None and (tokens == token).any():
                raise ValueError(
                    f"Found reserved {'mask' if what == 'mask_token' else 'OOV'} token at unexpected location in "
                    "`vocabulary`. Note that passed `vocabulary` does not need to include the OOV and mask tokens. "
                    "Either remove all mask and OOV tokens, or include them only at the start of the vocabulary in "
                    f"precisely this order: {specials}. Received: {what}={token} at vocabulary index "
                    f"{np.nonzero(vocabulary == token)[0][-1:]}"
                )
        size = token_start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is "
                f"{size}; `max_tokens` is {self.max_tokens}."
            )
        self._tokens = tokens
        self._index_table()
        self._frozen_vocab_size = self.vocabulary_size()
        if self.output_mode == "tf_idf" and idf_weights is not None:
            weights = np.asarray(idf_weights, dtype=floatx()).reshape(-1)
            if len(weights) != len(vocabulary):
                raise ValueError(
                    "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                    f"{len(weights)}; len(vocabulary) is {len(vocabulary)}"
                )
            front = 0 if found_specials else token_start
            back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
            fill = weights.mean() if front else 0
            self.idf_weights = np.concatenate(
                [np.full(front, fill, floatx()), weights, np.zeros(max(back, 0), floatx())]
            )

    def _read_vocabulary_file(self, path):
        from npkeras.saving.registration import in_safe_mode

        if in_safe_mode():
            raise ValueError(
                "Requested the loading of a vocabulary file outside of the model archive. This carries a potential "
                "risk of loading arbitrary and sensitive files and thus it is disallowed by default. If you trust "
                "the source of the artifact, you can override this error by passing `safe_mode=False` to the "
                f"loading function. Vocabulary file: '{path}'"
            )
        if not os.path.isfile(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        return self._parse_vocabulary(_read_lines(path))

    def _parse_vocabulary(self, lines):
        return lines if self._is_text() else [int(line) for line in lines]

    # ---- adapt ------------------------------------------------------------------------
    def adapt(self, data, steps=None):
        """Learn the vocabulary (and, for "tf_idf", the document frequencies) from an array, a list or an
        iterable of batches."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, Tensor)):
            values = as_values(data)
            self.update_state(values[:, None] if values.ndim == 1 else values)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        """Count the tokens of one batch: an array (one document a row) or a list of 1-D token arrays."""
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via `vocabulary` argument or "
                "`set_vocabulary()` method."
            )
        if isinstance(data, list) and data and isinstance(data[0], np.ndarray):  # ragged documents
            lengths = [d.size for d in data]
            flat = np.concatenate([d.reshape(-1) for d in data])
        else:
            values = as_values(data)
            values = values.reshape(1, -1) if values.ndim < 2 else values.reshape(len(values), -1)
            lengths = [values.shape[1]] * len(values)
            flat = values.reshape(-1)
        flat = self._as_keys(flat)
        _add_counts(self._token_counts, flat)
        if self.output_mode == "tf_idf":  # in how many documents each token appears
            rows = np.repeat(np.arange(len(lengths)), lengths)
            order = np.lexsort((flat, rows))
            tokens, rows = flat[order], rows[order]
            first = np.ones(len(tokens), dtype=bool)
            first[1:] = (tokens[1:] != tokens[:-1]) | (rows[1:] != rows[:-1])
            _add_counts(self._document_counts, tokens[first])
            self._num_documents += len(lengths)

    def finalize_state(self):
        if self._has_input_vocabulary or not self._token_counts:
            self._frozen_vocab_size = self.vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            self._token_counts.pop(special, None)
        tokens = self._as_tokens(list(self._token_counts))
        counts = np.array(list(self._token_counts.values()), dtype=np.int64)
        order = np.lexsort((tokens, counts))[::-1]
        if self.max_tokens:
            order = order[: self.max_tokens - self._token_start_index()]
        self._tokens = tokens[order]
        self._index_table()
        if self.output_mode == "tf_idf":
            df = np.array([self._document_counts.get(t, 0) for t in self._tokens.tolist()], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + df)).astype(floatx())
            parts = [np.full(self._token_start_index(), idf.mean() if idf.size else 0, floatx()), idf]
            if self.pad_to_max_tokens and self.max_tokens is not None:
                parts.append(np.zeros(self.max_tokens - self._token_start_index() - idf.size, floatx()))
            self.idf_weights = np.concatenate(parts)
        self.reset_state()
        self._frozen_vocab_size = self.vocabulary_size()

    def reset_state(self):
        self._token_counts, self._document_counts, self._num_documents = {}, {}, 0

    # ---- lookup -----------------------------------------------------------------------
    def lookup(self, values):
        """The indices (or, with `invert`, the tokens) of `values`, an array of tokens (or of indices)."""
        if self.invert:
            return self._invert(np.asarray(values))
        keys = self._as_keys(values)
        found = np.zeros(keys.shape, dtype=bool)
        out = np.zeros(keys.shape, dtype=np.int64)
        if len(self._sorted_tokens):
            pos = np.minimum(np.searchsorted(self._sorted_tokens, keys), len(self._sorted_tokens) - 1)
            found = self._sorted_tokens[pos] == keys
            out = np.where(found, self._sorted_indices[pos], 0)
        oov = ~found
        if self.mask_token is not None:
            masked = keys == self.mask_token
            oov &= ~masked
        if oov.any():  # only the out-of-vocabulary values are bucketed (and hashed)
            out = np.array(out, dtype=np.int64)
            out[oov] = self._oov_indices(keys[oov])
        if self.mask_token is not None:
            out = np.where(masked, 0 if self.output_mode == "int" else -1, out)
        return out

    def _oov_indices(self, keys):
        """The OOV indices of `keys`, values none of which is in the vocabulary."""
        if self.num_oov_indices == 0:
            raise ValueError(
                f"Layer '{self.name}': when `num_oov_indices=0` all inputs should be in vocabulary, found OOV "
                f"values {np.unique(keys).tolist()[:10]}, consider setting `num_oov_indices=1`."
            )
        start = self._oov_start_index()
        if self.num_oov_indices == 1:
            return np.full(keys.shape, start, dtype=np.int64)
        if not self._is_text() and self.oov_method != "farmhash":
            return np.mod(keys, self.num_oov_indices).astype(np.int64) + start
        if self.salt is not None:
            return hash_buckets_strong(keys, self.num_oov_indices, self.salt) + start
        return hash_buckets(keys, self.num_oov_indices) + start

    def _invert(self, indices):
        if indices.dtype.kind not in "iu":
            raise ValueError(f"Layer '{self.name}' (invert=True) expects integer indices, received {indices.dtype}.")
        vocab = self.get_vocabulary()  # index i names vocab[i] (mask and OOV tokens included); beyond it, OOV
        table = np.array(vocab + [self.oov_token], dtype=str if self._is_text() else np.int64)
        return table[np.where((indices >= 0) & (indices < len(vocab)), indices, len(vocab))]

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else (self._frozen_vocab_size or self.vocabulary_size())

    def call(self, inputs):
        values = as_values(inputs)
        indices = self.lookup(values)
        if self.output_mode == "int":
            return Tensor(indices)
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError("When `output_mode` is `'tf_idf'`, `idf_weights` must be provided.")
            return Tensor(encode(indices, "count", self._depth(), floatx()) * self.idf_weights)
        return Tensor(encode(indices, self.output_mode, self._depth(), "int64"))  # Keras-TF's eager dtype

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        if self.output_mode == "tf_idf":
            dtype = floatx()
        elif self.invert and self.output_mode == "int":
            dtype = self.vocabulary_dtype
        else:
            dtype = "int64"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # ---- config and assets ------------------------------------------------------------
    def get_config(self):
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": _listify(self.input_idf_weights),
            "vocabulary": _listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }

    def get_build_config(self):
        return {}

    def save_assets(self, dir_path):
        """Write the learned vocabulary (special tokens first) to `dir_path`/vocabulary.txt."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, VOCABULARY_FILE), "w", encoding="utf-8") as f:
            f.write("\n".join(str(w) for w in self.get_vocabulary()))
        if self.output_mode == "tf_idf" and self.idf_weights is not None:  # Keras keeps these in its weights file
            with open(os.path.join(dir_path, IDF_FILE), "w", encoding="utf-8") as f:
                f.write("\n".join(repr(float(w)) for w in self.idf_weights[: self.vocabulary_size()]))

    def load_assets(self, dir_path):
        """Set the vocabulary from `dir_path`/vocabulary.txt (as written by save_assets or by Keras)."""
        if self.input_vocabulary is not None:
            return
        lines = _read_lines(os.path.join(dir_path, VOCABULARY_FILE))
        idf = None
        if self.output_mode == "tf_idf":
            idf_path = os.path.join(dir_path, IDF_FILE)
            if not os.path.isfile(idf_path):
                raise ValueError(
                    f"Layer '{self.name}' (output_mode='tf_idf') found no {IDF_FILE} beside its vocabulary: npkeras "
                    "keeps adapted idf weights there (Keras keeps them in its weights file, which npkeras does not "
                    "read for this layer)."
                )
            idf = np.array([float(w) for w in _read_lines(idf_path)], dtype=floatx())
        self.set_vocabulary(self._parse_vocabulary(lines), idf_weights=idf)


def _add_counts(table, tokens):
    """Add each distinct token's count in `tokens` to the dict `table` (one update per distinct token)."""
    unique, counts = np.unique(tokens, return_counts=True)
    for token, count in zip(unique.tolist(), counts.tolist()):
        table[token] = table.get(token, 0) + count


def _salt_pair(salt, cls):
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return [int(salt[0]), int(salt[1])]
    if isinstance(salt, int):
        return [salt, salt]
    raise ValueError(
        f"The `salt` argument for `{cls}` can only be a tuple of 2 integers, or a single integer. "
        f"Received: salt={salt}."
    )


def _read_lines(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _listify(value):
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [v.item() if isinstance(v, np.generic) else v for v in value]
    return value
