"""keras.distribution's API on one process: one device, nothing changes, and mpi4py is never imported."""

import subprocess
import sys

import numpy as np
import pytest

import npkeras
from npkeras import distribution, layers


def test_one_process_is_one_device_and_needs_no_mpi():
    code = (
        "import sys, npkeras; d = npkeras.distribution; d.initialize();"
        "print(d.list_devices(), d.get_device_count(), d.num_processes(), d.process_id(), 'mpi4py' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "['cpu:0'] 1 1 0 False"


def test_initialize_checks_what_it_is_told():
    with pytest.raises(ValueError, match=r"asked for 2 processes, but 1 are running\. Start the script with `mpiexec"):
        distribution.initialize(num_processes=2)
    with pytest.raises(ValueError, match="given process_id=1, but this process is number 0"):
        distribution.initialize(process_id=1)


def test_device_mesh_follows_keras():
    mesh = distribution.DeviceMesh((1,), ["batch"])
    assert mesh.shape == (1,) and mesh.axis_names == ["batch"] and mesh.devices.tolist() == ["cpu:0"]
    with pytest.raises(ValueError, match="Shape and axis_names cannot be empty"):
        distribution.DeviceMesh((), [])
    with pytest.raises(ValueError, match="Shape and axis_names should have same size"):
        distribution.DeviceMesh((1,), ["batch", "model"])
    with pytest.raises(ValueError, match="Shape does not match the number of devices"):
        distribution.DeviceMesh((2,), ["batch"])
    with pytest.raises(ValueError, match="npkeras runs on CPUs only"):
        distribution.list_devices("gpu")


def test_data_parallel_takes_one_device_per_process():
    data_parallel = distribution.DataParallel()
    assert data_parallel.num_model_replicas == 1 and data_parallel.batch_dim_name == "batch"
    with pytest.raises(ValueError, match="one device per process: the mesh has 2 devices but 1 processes"):
        distribution.DataParallel(devices=["cpu:0", "cpu:1"])
    with pytest.raises(ValueError, match="Expect `mesh` to be an instance of `DeviceMesh`"):
        distribution.DataParallel(device_mesh="batch")


def test_model_parallel_says_data_parallelism_is_what_exists():
    for cls in (distribution.ModelParallel, distribution.LayoutMap):
        with pytest.raises(NotImplementedError, match="npkeras distributes data, not models.*DataParallel"):
            cls(None)


def test_a_scope_sets_the_distribution_and_one_process_trains_as_without_one():
    def trained():
        npkeras.utils.set_random_seed(0)
        model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
        model.compile("sgd", "mse")
        model.fit(np.ones((8, 3)), np.zeros((8, 2)), batch_size=4, verbose=0)
        return model.get_weights()

    plain = trained()
    data_parallel = distribution.DataParallel()
    with data_parallel.scope():
        assert distribution.distribution() is data_parallel
        inside = trained()
    assert distribution.distribution() is None
    for a, b in zip(plain, inside):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="Expected a Distribution instance or None"):
        distribution.set_distribution("data")
