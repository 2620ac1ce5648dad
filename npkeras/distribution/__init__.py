"""keras.distribution: data-parallel training over processes started by mpiexec or srun (the mpi extra)."""

from npkeras.distribution.distribution_lib import (
    DataParallel,
    DeviceMesh,
    Distribution,
    LayoutMap,
    ModelParallel,
    distribution,
    get_device_count,
    initialize,
    list_devices,
    num_processes,
    process_id,
    set_distribution,
)

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "num_processes",
    "process_id",
    "set_distribution",
]
