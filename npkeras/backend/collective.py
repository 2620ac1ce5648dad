"""Collectives across processes, for data-parallel training: inactive (None) when a process trains alone.

npkeras.distribution installs a communicator when a DataParallel distribution spans several processes;
the optimizer then averages gradients and synchronized batch norm combines its sums through it. Each
process weighs its gradients by its share of the global batch (`batch_share`), so the average equals
the gradient of the global batch's mean loss whatever the shards' sizes.
"""

import contextlib

import numpy as np

from npkeras.backend.global_state import context

_communicator = None  # process-wide: one MPI world per process


def set_communicator(communicator):
    global _communicator
    _communicator = communicator


def communicator():
    """The installed communicator, or None when this process trains alone."""
    return _communicator


@contextlib.contextmanager
def batch_share(local, total):
    """Inside the block, this process holds `local` of a global batch of `total` samples."""
    previous = context.batch_share
    context.batch_share = (local, total)
    try:
        yield
    finally:
        context.batch_share = previous


def share():
    """This process's weight in the sums: its share of the step's global batch (an equal share outside steps)."""
    held = context.batch_share
    if held is None:
        return 1.0 / _communicator.size
    local, total = held
    return local / total if total else 0.0


def local_samples():
    """The samples this process really holds in the step (0 for a stand-in sample), None outside steps."""
    held = context.batch_share
    return None if held is None else held[0]


def allreduce_sum(array):
    """`array` summed over the processes, in place (a float64 or float32 contiguous array)."""
    _communicator.allreduce_sum(array)
    return array


def is_chief():
    """Whether this process writes files and prints progress: the only one, or rank 0 of several."""
    return _communicator is None or _communicator.rank == 0


def average_gradients(grads):
    """The global batch's gradients from each process's: one Allreduce of one flat buffer."""
    dtype = np.result_type(*[g.dtype for g in grads])
    sizes = [g.size for g in grads]
    flat, weight = np.empty(sum(sizes), dtype), share()
    offset = 0
    for g, size in zip(grads, sizes):
        np.multiply(g.reshape(-1), weight, out=flat[offset : offset + size], casting="unsafe")
        offset += size
    _communicator.allreduce_sum(flat)
    out, offset = [], 0
    for g, size in zip(grads, sizes):
        out.append(flat[offset : offset + size].reshape(g.shape))
        offset += size
    return out
