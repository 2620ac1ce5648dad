"""MPI through mpi4py, imported only when the process was started by an MPI launcher (mpiexec, srun).

Everything on the training path moves NumPy buffers (Allreduce, Bcast, Allgatherv): no pickled object
crosses processes. The few structured messages (setups to compare, cross-validation results) travel as
JSON bytes.
"""

import json
import os

import numpy as np

# What launchers set in each process they start: (world size, rank) variables, MPICH/Hydra and Intel MPI
# (PMI), Open MPI, MVAPICH, and Slurm's srun with PMIx.
_LAUNCH_VARIABLES = (
    ("PMI_SIZE", "PMI_RANK"),
    ("OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"),
    ("MV2_COMM_WORLD_SIZE", "MV2_COMM_WORLD_RANK"),
    ("SLURM_NTASKS", "PMIX_RANK"),
)


def launched_size():
    """The number of processes the MPI launcher started (1 when none started this one)."""
    for size, rank in _LAUNCH_VARIABLES:
        if os.environ.get(size) and os.environ.get(rank) is not None:
            try:
                return max(1, int(os.environ[size]))
            except ValueError:
                return 1
    return 1


def _mpi():
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise ImportError(
            "This process was started by an MPI launcher, and training on several processes needs mpi4py: "
            'pip install "npkeras[mpi]" (on a machine without an MPI library, `pip install mpich` too).'
        ) from e
    return MPI


class MPICommunicator:
    """The world of processes: sums, broadcasts and gathers of NumPy arrays."""

    def __init__(self):
        self._MPI = _mpi()
        self.comm = self._MPI.COMM_WORLD
        self.rank, self.size = self.comm.Get_rank(), self.comm.Get_size()
        self.local_size = self.comm.Split_type(self._MPI.COMM_TYPE_SHARED).Get_size()

    def allreduce_sum(self, array):
        self.comm.Allreduce(self._MPI.IN_PLACE, array, op=self._MPI.SUM)

    def allreduce_max(self, array):
        self.comm.Allreduce(self._MPI.IN_PLACE, array, op=self._MPI.MAX)

    def broadcast(self, array, root=0):
        self.comm.Bcast(array, root=root)

    def allgather_rows(self, array):
        """Every process's `array` (the same trailing shape and dtype everywhere), in rank order."""
        array = np.ascontiguousarray(array)
        counts = np.empty(self.size, np.int64)
        self.comm.Allgather(np.array([array.size], np.int64), counts)
        received = np.empty(int(counts.sum()), array.dtype)
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.comm.Allgatherv(array.reshape(-1), [received, (counts, offsets)])
        parts = np.split(received, np.cumsum(counts)[:-1])
        return [part.reshape((-1,) + array.shape[1:]) if array.ndim else part.reshape(()) for part in parts]

    def allgather_json(self, value):
        """Every process's `value` (anything JSON holds), in rank order."""
        data = np.frombuffer(json.dumps(value).encode(), np.uint8)
        return [json.loads(part.tobytes().decode()) for part in self.allgather_rows(data)]

    def abort(self, code=1):
        self.comm.Abort(code)
