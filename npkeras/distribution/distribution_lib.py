"""keras.distribution's API on processes: each process started by mpiexec (or srun) is one device.

Without an MPI launcher there is one process, one device ("cpu:0"), and mpi4py is never imported.
Data parallelism is what exists: ModelParallel and LayoutMap say so.
"""

import contextlib
import math
import os
import warnings

import numpy as np

from npkeras.backend import collective
from npkeras.distribution import mpi

DEFAULT_BATCH_DIM_NAME = "batch"
_world = None  # the MPICommunicator, made on first need under an MPI launcher
_distribution = None  # what set_distribution set: process-wide, as in Keras


def _communicator():
    global _world
    if _world is None and mpi.launched_size() > 1:
        _world = mpi.MPICommunicator()
        _one_core_share_each(_world.local_size)
    return _world


def _one_core_share_each(processes_here):
    """Processes on one machine split its cores: BLAS (and npkeras's chunk threads) use their share only."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=max(1, cores // processes_here))


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Join the processes the MPI launcher started (MPI needs no addresses: mpiexec or srun gives them).

    `num_processes` and `process_id`, when given, are checked against what the launcher says."""
    world = _communicator()
    size, rank = (world.size, world.rank) if world else (1, 0)
    if num_processes is not None and num_processes != size:
        hint = "" if world else f" Start the script with `mpiexec -n {num_processes} python script.py`."
        raise ValueError(f"initialize() was asked for {num_processes} processes, but {size} are running.{hint}")
    if process_id is not None and process_id != rank:
        raise ValueError(f"initialize() was given process_id={process_id}, but this process is number {rank}.")


def num_processes():
    world = _communicator()
    return world.size if world else 1


def process_id():
    world = _communicator()
    return world.rank if world else 0


def list_devices(device_type=None):
    """One device per process: ["cpu:0", "cpu:1", ...]."""
    if device_type not in (None, "cpu", "CPU"):
        raise ValueError(f"npkeras runs on CPUs only; there are no {device_type!r} devices.")
    return [f"cpu:{i}" for i in range(num_processes())]


def get_device_count(device_type=None):
    return len(list_devices(device_type))


class DeviceMesh:
    """Devices laid out on named axes; data parallelism uses the first axis."""

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError(f"Shape and axis_names cannot be empty. Received: shape={shape}, axis_names={axis_names}")
        if len(shape) != len(axis_names):
            raise ValueError(
                f"Shape and axis_names should have same size. Received: shape={shape}, axis_names={axis_names}"
            )
        devices = np.array(list_devices() if devices is None else devices)
        if math.prod(shape) != devices.size:
            raise ValueError(
                f"Shape does not match the number of devices. Received: shape={shape}; devices.shape={devices.shape}"
            )
        self._shape, self._axis_names = tuple(shape), list(axis_names)
        self._devices = devices.reshape(shape)

    shape = property(lambda self: self._shape)
    axis_names = property(lambda self: self._axis_names)
    devices = property(lambda self: self._devices)

    def __repr__(self):
        return f"<DeviceMesh shape={self.shape}, axis_names={self.axis_names}>"


class Distribution:
    """Base: a device mesh, and a `scope()` in which this distribution is the current one."""

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh, self._batch_dim_name = device_mesh, batch_dim_name
        self.auto_shard_dataset = auto_shard_dataset

    device_mesh = property(lambda self: self._device_mesh)
    batch_dim_name = property(lambda self: self._batch_dim_name)
    num_processes = property(lambda self: num_processes())

    @contextlib.contextmanager
    def scope(self):
        previous = distribution()
        set_distribution(self)
        try:
            yield
        finally:
            set_distribution(previous)

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"


class DataParallel(Distribution):
    """Data parallelism over processes: the same model on each, each process taking its shard of every
    global batch, gradients averaged with one Allreduce per step.

    With `auto_shard_dataset=False`, each process's data is its shard already: every batch it reads is its
    part of the step, and the processes weigh their gradients equally."""

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh is not None:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(
                    "Expect `mesh` to be an instance of `DeviceMesh`. "
                    f"Received: mesh={device_mesh} (of type {type(device_mesh)})"
                )
            if device_mesh.devices.ndim != 1:
                warnings.warn(
                    f"Expect the input mesh to be 1D, but received mesh.devices.ndim={device_mesh.devices.ndim}. "
                    "The first axis will be used for data-parallel sharding.",
                    stacklevel=2,
                )
        else:
            devices = np.array(list_devices() if not devices else devices)
            device_mesh = DeviceMesh(devices.shape, [DEFAULT_BATCH_DIM_NAME], devices)
        if device_mesh.devices.size != num_processes():
            raise ValueError(
                f"DataParallel in npkeras takes one device per process: the mesh has {device_mesh.devices.size} "
                f"devices but {num_processes()} processes are running (start them with `mpiexec -n N`)."
            )
        super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)

    @property
    def num_model_replicas(self):
        return self.device_mesh.devices.size


def _model_parallel_is_not_here(name):
    return NotImplementedError(
        f"npkeras distributes data, not models: {name} is not available. Use "
        "npkeras.distribution.DataParallel(), which trains a copy of the model on each process."
    )


class ModelParallel(Distribution):
    def __init__(self, *args, **kwargs):
        raise _model_parallel_is_not_here("ModelParallel")


class LayoutMap:
    def __init__(self, *args, **kwargs):
        raise _model_parallel_is_not_here("LayoutMap")


def distribution():
    """The current distribution (None: each process trains alone)."""
    return _distribution


def set_distribution(value):
    """Make `value` (a DataParallel, or None) the distribution fit, evaluate and predict follow."""
    global _distribution
    if value is not None and not isinstance(value, Distribution):
        raise ValueError(f"Expected a Distribution instance or None. Received: {value!r}")
    _distribution = value
    spans_processes = isinstance(value, DataParallel) and value.num_model_replicas > 1
    collective.set_communicator(_communicator() if spans_processes else None)
