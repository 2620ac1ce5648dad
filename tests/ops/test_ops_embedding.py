"""The embedding lookup op: scatter_add_rows against a plain loop, and the lookup's gradient on the table."""

import numpy as np
import pytest

from npkeras import gradient_check
from npkeras.autograd import engine
from npkeras.autograd.tensor import Tensor
from npkeras.ops.embedding import EmbeddingLookup, scatter_add_rows


def _loop_scatter_add(values, rows, num_rows):
    """The reference: one Python loop adding each value row into its table row."""
    out = np.zeros((num_rows, values.shape[-1]), dtype=values.dtype)
    for value, row in zip(values, rows):
        out[row] += value
    return out


def test_scatter_add_rows_by_hand():
    values = np.array([[1.0, 2.0], [10.0, 20.0], [100.0, 200.0], [0.5, 0.25]])
    rows = np.array([3, 0, 3, 1])
    out = scatter_add_rows(values, rows, 5)
    np.testing.assert_array_equal(out, [[10, 20], [0.5, 0.25], [0, 0], [101, 202], [0, 0]])
    assert out.dtype == values.dtype


@pytest.mark.parametrize("seed", range(4))
def test_scatter_add_rows_equals_a_loop_with_repeated_ids(seed):
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 6, size=40)  # 40 ids over 6 rows: every row repeats
    values = rng.standard_normal((40, 3)).astype(np.float32)
    out = scatter_add_rows(values, rows, 9)  # rows 6..8 are never hit
    np.testing.assert_allclose(out, _loop_scatter_add(values, rows, 9), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out[6:], 0)
    assert out.dtype == np.float32


def test_scatter_add_rows_all_ids_equal():
    values = np.arange(12.0).reshape(4, 3)
    out = scatter_add_rows(values, np.array([2, 2, 2, 2]), 3)
    np.testing.assert_array_equal(out, [[0, 0, 0], [0, 0, 0], [18, 22, 26]])


def test_scatter_add_rows_empty_ids():
    out = scatter_add_rows(np.zeros((0, 4)), np.zeros(0, dtype=np.int64), 3)
    assert out.shape == (3, 4)
    np.testing.assert_array_equal(out, 0)


def test_lookup_forward_is_table_rows():
    table = np.arange(15.0).reshape(5, 3)
    ids = np.array([[4, 0], [4, 2]])
    out = np.asarray(EmbeddingLookup(ids)(Tensor(table)))
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out, table[ids])


@pytest.mark.parametrize("ids", [np.array([1, 3, 1, 0, 3, 3]), np.array([[0, 2, 2], [4, 4, 1]]), np.array([[[2]]])])
def test_lookup_gradient_check_on_table(ids):
    table = np.random.default_rng(0).standard_normal((5, 3))
    assert gradient_check(lambda t: EmbeddingLookup(ids)(t), table)


def test_lookup_gradient_counts_each_occurrence():
    """d sum(table[ids]) / d table = how often each row was looked up, in every column."""
    table = Tensor(np.zeros((4, 2)), requires_grad=True)
    ids = np.array([[1, 1, 3], [1, 0, 0]])
    out = EmbeddingLookup(ids)(table)
    (grad,) = engine.gradients(out, [table], output_gradient=np.ones(out.shape))
    np.testing.assert_array_equal(grad, [[2, 2], [3, 3], [0, 0], [1, 1]])
