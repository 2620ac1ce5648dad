"""examples/char_language_model.py: data preparation, bits per character, sampling, and a tiny run on the book."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

import npkeras

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "char_language_model.py"


@pytest.fixture(scope="module")
def clm():
    spec = importlib.util.spec_from_file_location("char_language_model", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PHRASE = "the quick brown fox jumps over the lazy dog. "  # 45 characters, 29 distinct


class FixedModel:
    """Stands in for a model: predict_on_batch returns the same probabilities for every window."""

    def __init__(self, probs):
        self.probs = np.asarray(probs, dtype=np.float32)

    def predict_on_batch(self, x):
        x = np.asarray(x)
        return np.broadcast_to(self.probs, (*x.shape, len(self.probs))).copy()


def test_prepare_data_splits_windows_and_vocabulary(clm):
    text = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcxyzxyzxyz"
    data = clm.prepare_data(text, seq_len=4)
    split = len(text) - math.ceil(0.1 * len(text))  # the last 10% held out
    assert data.vocab == clm.UNKNOWN + "abc"  # from the training part only
    assert clm.decode(data.train_ids, data.vocab) == text[:split]
    assert len(data.heldout_ids) == len(text) - split
    held = text[split:]
    assert clm.decode(data.heldout_ids, data.vocab) == "".join(c if c in "abc" else clm.UNKNOWN for c in held)
    n = (split - 1) // 4
    assert data.x_train.shape == data.y_train.shape == (n, 4)
    assert clm.decode(data.x_train[1], data.vocab) == text[4:8]  # non-overlapping windows
    assert clm.decode(data.y_train[1], data.vocab) == text[5:9]  # the next character at every position
    assert data.x_heldout.shape == data.y_heldout.shape == ((len(held) - 1) // 4, 4)

    lower = clm.prepare_data("AbC" * 20, seq_len=3, lowercase=True)
    assert lower.vocab == clm.UNKNOWN + "abc"


def test_prepare_data_rejects_texts_too_short(clm):
    with pytest.raises(ValueError, match="held-out part has 2 characters, fewer than seq_len \\+ 1 = 6"):
        clm.prepare_data("a" * 20, seq_len=5)
    with pytest.raises(ValueError, match="seq_len must be a positive integer"):
        clm.prepare_data("a" * 20, seq_len=0)
    with pytest.raises(TypeError, match="as a str"):
        clm.prepare_data(b"abc" * 20, seq_len=2)


def test_bits_per_char_is_mean_crossentropy_over_ln2(clm):
    # Fixed probabilities: the targets 1 and 2 cost -log2(0.5) = 1 and -log2(0.25) = 2 bits.
    model = FixedModel([0.125, 0.5, 0.25, 0.125])
    x = np.zeros((2, 3), dtype=np.int64)
    y = np.array([[1, 1, 2], [2, 2, 2]])
    assert clm.bits_per_char(model, x, y) == pytest.approx((1 + 1 + 2 + 2 + 2 + 2) / 6)
    assert clm.bits_per_char(model, x, y, batch_size=1) == pytest.approx(10 / 6)

    # A real model: by hand from its predicted probabilities, and Keras's loss / ln 2.
    npkeras.utils.set_random_seed(0)
    lstm = clm.build_model(vocab_size=5, units=4)
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 5, (3, 6)), rng.integers(0, 5, (3, 6))
    probs = lstm.predict(x, verbose=0).astype(np.float64)
    hand = -np.mean([math.log(probs[i, t, y[i, t]]) for i in range(3) for t in range(6)]) / math.log(2)
    assert clm.bits_per_char(lstm, x, y, batch_size=2) == pytest.approx(hand, rel=1e-6)
    loss = lstm.evaluate(x, y, verbose=0)[0]
    assert clm.bits_per_char(lstm, x, y) == pytest.approx(loss / math.log(2), rel=1e-4)


def test_unigram_baseline_counts_training_characters(clm):
    train, targets = np.array([1, 1, 1, 2]), np.array([1, 2, 0])
    p = np.array([1, 4, 2]) / 7  # add-one over a vocabulary of 3
    expected = -(math.log2(p[1]) + math.log2(p[2]) + math.log2(p[0])) / 3
    assert clm.unigram_bits_per_char(train, targets, 3) == pytest.approx(expected)


def test_lstm_learns_a_repeated_phrase_below_the_unigram_baseline(clm):
    npkeras.utils.set_random_seed(0)
    data = clm.prepare_data(PHRASE * 100, seq_len=30)
    model = clm.build_model(len(data.vocab), units=48, learning_rate=1e-2)
    model.fit(data.x_train, data.y_train, batch_size=16, epochs=12, verbose=0)
    model_bpc = clm.bits_per_char(model, data.x_heldout, data.y_heldout)
    unigram_bpc = clm.unigram_bits_per_char(data.train_ids, data.y_heldout, len(data.vocab))
    assert unigram_bpc > 4.0  # 28 distinct characters, spread out
    assert model_bpc < 1.0 and model_bpc < 0.25 * unigram_bpc, (model_bpc, unigram_bpc)
    greedy = clm.sample(model, data.vocab, "the quick ", len(PHRASE), seq_len=30, temperature=0)
    assert greedy == (PHRASE * 2)[len("the quick ") :][: len(PHRASE)]  # it continues the phrase


def test_sample_is_deterministic_and_stays_in_the_vocabulary(clm):
    npkeras.utils.set_random_seed(0)
    data = clm.prepare_data(PHRASE * 20, seq_len=16)
    model = clm.build_model(len(data.vocab), units=8)
    kwargs = dict(prompt="the quick ", length=40, seq_len=16, temperature=1.0)
    first = clm.sample(model, data.vocab, seed=3, **kwargs)
    assert first == clm.sample(model, data.vocab, seed=3, **kwargs)
    assert first != clm.sample(model, data.vocab, seed=4, **kwargs)
    assert len(first) == 40 and set(first) <= set(data.vocab[1:])  # never the unknown entry
    greedy = clm.sample(model, data.vocab, "zzz\u00e9", 20, 16, temperature=0, seed=1)  # unseen prompt chars
    assert greedy == clm.sample(model, data.vocab, "zzz\u00e9", 20, 16, temperature=0, seed=2)
    assert len(greedy) == 20 and set(greedy) <= set(data.vocab[1:])
    with pytest.raises(ValueError, match="non-empty prompt"):
        clm.sample(model, data.vocab, "", 5, 16)


def test_main_on_the_book_with_tiny_settings(clm, moby_dick_dir, capsys):
    argv = ["--epochs", "1", "--chars", "20000", "--seq-len", "40", "--units", "16", "--sample-length", "30"]
    result = clm.main([*argv, "--data", str(moby_dick_dir), "--verbose", "0"])
    out = capsys.readouterr().out
    assert "Text: 20000 characters of Moby-Dick" in out
    assert f"Vocabulary: {result['vocab_size']} characters" in out
    assert "Training: 18000 characters" in out and "held out: 2000 characters" in out
    assert f"Held-out bits/char: model {result['model_bpc']:.3f}, unigram baseline {result['unigram_bpc']:.3f}" in out
    assert "\nCall me Ishmael. " + result["sample"] + "\n" in out
    assert len(result["sample"]) == 30
    assert 3.5 < result["unigram_bpc"] < 5.0  # English letters' frequencies: about 4.1-4.4 bits
    assert np.isfinite(result["model_bpc"])
