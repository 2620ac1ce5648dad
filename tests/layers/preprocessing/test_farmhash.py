"""FarmHash Fingerprint64 and SipHash-2-4 (npkeras/layers/preprocessing/farmhash.py) give TensorFlow's bins."""

import json

import numpy as np
import pytest

from npkeras.layers.preprocessing.farmhash import fingerprint64, hash_buckets, hash_buckets_strong
from tests.layers.preprocessing.lookup_reference import HASHING


@pytest.mark.parametrize("bins", sorted(HASHING["fast"], key=int))
def test_fingerprint_buckets_match_to_hash_bucket_fast(bins):
    strings = np.array(HASHING["strings"])
    assert len(strings) > 80 and max(len(s.encode()) for s in strings) > 128  # every length branch of the hash
    np.testing.assert_array_equal(hash_buckets(strings, int(bins)), HASHING["fast"][bins])


@pytest.mark.parametrize("bins", sorted(HASHING["fast"], key=int))
def test_integers_hash_by_their_decimal_text(bins):
    np.testing.assert_array_equal(hash_buckets(np.array(HASHING["ints"]), int(bins)), HASHING[f"fast_ints_{bins}"])


@pytest.mark.parametrize("key", sorted(HASHING["strong"]))
def test_siphash_buckets_match_to_hash_bucket_strong(key):
    strings = np.array(HASHING["strings"])
    np.testing.assert_array_equal(hash_buckets_strong(strings, 1000, json.loads(key)), HASHING["strong"][key])


def test_fingerprint_of_the_empty_string_is_farmhash_k2():
    assert fingerprint64(b"") == 0x9AE16A3B2F90404F


def test_buckets_keep_the_input_shape_and_hash_each_value_once():
    values = np.array([["a", "b"], ["a", "a"]])
    out = hash_buckets(values, 1 << 62)
    assert out.shape == (2, 2) and out.dtype == np.int64
    assert out[0, 0] == out[1, 0] == out[1, 1] != out[0, 1]
