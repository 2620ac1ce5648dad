"""What fit, evaluate and predict do under a DataParallel distribution that spans processes.

Each process takes a contiguous shard of every global batch (rank order is sample order), starts from
rank 0's weights, optimizer state and shuffling stream, and averages gradients in the optimizer
(backend/collective.py). Metrics are combined from their summed states, never as a mean of means, so
logs, callbacks and early stopping see the same numbers on every process.
"""

import contextlib
import copy
import sys
import time
import traceback

import numpy as np

from npkeras.backend import collective
from npkeras.distribution import distribution_lib
from npkeras.layers.symbolic import map_structure
from npkeras.models import data_adapter

ABORT_DELAY_S = 0.5


def current_run():
    """The DataParallelRun fit/evaluate/predict follow now, or None when this process trains alone."""
    world = collective.communicator()
    if world is None:
        return None
    return DataParallelRun(world, distribution_lib.distribution().auto_shard_dataset)


def step_on(run, step, data, gather=False):
    """`step(data)` (a model's bound step); on several processes `step` on this process's shard of the global
    batch `data`, its outputs gathered from every process when `gather` (predict)."""
    if run is None:
        return step(data)
    with run.local_batch(data) as local:
        padding = collective.local_samples() == 0
        kept = _metric_states(step.__self__.metrics) if padding else None
        outputs = step(local)
        if padding:  # the stand-in sample counts in no metric
            _restore_metric_states(kept)
        return run.gather(outputs, collective.local_samples()) if gather else outputs


def aborting_on_error(run):
    """On several processes, an error in one ends them all instead of leaving the others waiting."""
    return contextlib.nullcontext() if run is None else run.abort_on_error()


class DataParallelRun:
    def __init__(self, world, auto_shard=True):
        self.world, self.rank, self.size, self.auto_shard = world, world.rank, world.size, auto_shard

    # ---- batches ----------------------------------------------------------------------
    @contextlib.contextmanager
    def local_batch(self, data):
        """This process's shard of the global batch `data`, its share of the gradients set for the step.

        A global batch smaller than the number of processes leaves some without a sample: they run the step
        on a stand-in sample weighted 0, so every process takes part in each collective; its gradients count
        for nothing (its share is 0) and step_on keeps it out of the metrics."""
        if not self.auto_shard:
            local = data_adapter.num_samples(data_adapter.unpack_x_y_sample_weight(data)[0])
            with collective.batch_share(local, local * self.size):
                yield data
            return
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        total = data_adapter.num_samples(x)
        start, stop = total * self.rank // self.size, total * (self.rank + 1) // self.size
        local = stop - start
        rows = slice(start, stop) if local else slice(0, 1)
        x, y = data_adapter.take(x, rows), None if y is None else data_adapter.take(y, rows)
        if not local:
            sample_weight = np.zeros(1, np.float32)
        elif sample_weight is not None:
            sample_weight = data_adapter.take(sample_weight, rows)
        with collective.batch_share(local, total):
            yield data_adapter.pack_x_y_sample_weight(x, y, sample_weight)

    def gather(self, outputs, local):
        """Every process's outputs of one batch, in sample order (a padded shard's sample left out)."""
        return map_structure(lambda a: np.concatenate(self.world.allgather_rows(np.asarray(a)[:local])), outputs)

    # ---- the start of training ------------------------------------------------------------
    def start_training(self, model, batch_size, num_batches):
        """Check every process runs the same model on the same batches, then copy rank 0's state to all."""
        setup = {
            "model": type(model).__name__,
            "weights": [[v.path, list(v.shape)] for v in model.weights],
            "optimizer": type(model.optimizer).__name__,
            "batch_size": batch_size,
            "steps": num_batches,
        }
        setups = self.world.allgather_json(setup)
        for rank, other in enumerate(setups):
            differences = [key for key in setup if other[key] != setups[0][key]]
            if differences:
                details = "; ".join(
                    f"{key}: {setups[0][key]!r} on process 0, {other[key]!r} there" for key in differences
                )
                raise ValueError(
                    f"Process {rank} of {self.size} does not train what process 0 trains ({details}). Every process "
                    "must build the same model and call fit with the same data sizes and batch_size."
                )
        variables = list(model.weights) + (list(model.optimizer.variables) if model.optimizer.built else [])
        self.broadcast_variables(variables)
        stream = model._training_generator()
        stream.bit_generator.state = self.world.allgather_json(stream.bit_generator.state)[0]

    def broadcast_variables(self, variables):
        """Process 0's values of `variables` on every process: one Bcast per dtype."""
        for dtype in sorted({v.data.dtype.str for v in variables}):
            group = [v for v in variables if v.data.dtype.str == dtype]
            flat = np.concatenate([v.data.reshape(-1) for v in group])
            self.world.broadcast(flat)
            offset = 0
            for v in group:
                v.data[...] = flat[offset : offset + v.data.size].reshape(v.data.shape)
                offset += v.data.size

    def step_generator(self, shuffle_stream):
        """This process's own dropout stream for one fit, seeded by the shared shuffling stream's state and the
        rank (nothing is drawn from the shuffling stream, so the batches are those one process would take)."""
        return np.random.default_rng([shuffle_stream.bit_generator.state["state"]["state"], self.rank])

    def any(self, flag):
        """Whether `flag` holds on any process (stop_training set by a callback somewhere)."""
        value = np.array([1.0 if flag else 0.0])
        self.world.allreduce_max(value)
        return bool(value[0])

    # ---- metrics ------------------------------------------------------------------------
    def combined_results(self, metrics):
        """The results of `metrics` over every process's samples: their states summed, then read."""
        leaves = [m for metric in metrics for m in _leaves(metric)]
        probes = [_probe(m) for m in leaves]
        states = [np.asarray(getattr(probe, name), np.float64) for probe, names in probes for name in names]
        every = self.world.allgather_json([list(state.shape) for state in states])
        shapes = [max((tuple(shapes[i]) for shapes in every), key=len) for i in range(len(states))]  # 0.0: not made yet
        buffer = np.concatenate([np.broadcast_to(s, shape).reshape(-1) for s, shape in zip(states, shapes)] + [[]])
        self.world.allreduce_sum(buffer)
        offset, k = 0, 0
        for probe, names in probes:
            for name in names:
                size = int(np.prod(shapes[k]))
                value = buffer[offset : offset + size]
                setattr(probe, name, value.reshape(shapes[k]) if shapes[k] else float(value[0]))
                offset, k = offset + size, k + 1
        results = {}
        for metric, (probe, _) in zip(leaves, probes):
            result = probe.result()
            results.update(dict(result) if isinstance(result, dict) else {metric.name: result})
        return results

    # ---- faults -------------------------------------------------------------------------
    @contextlib.contextmanager
    def abort_on_error(self):
        """An error on one process ends every process (MPI abort), so none waits forever in a collective."""
        try:
            yield
        except BaseException:
            traceback.print_exc()
            sys.stderr.write(f"npkeras: process {self.rank} of {self.size} failed; ending every process.\n")
            sys.stderr.flush()
            time.sleep(ABORT_DELAY_S)  # the launcher forwards output as it comes: let this process's arrive first
            self.world.abort(1)
            raise


def _leaves(metric):
    """A metric, or the metrics a container (the compiled metrics) holds."""
    inner = getattr(metric, "metrics", None)
    return list(inner) if isinstance(inner, list) else [metric]


def _metric_states(metrics):
    """A copy of the state of every metric in `metrics` (containers opened), to put back with the next function."""
    leaves = [m for metric in metrics for m in _leaves(metric)]
    return [(m, {name: copy.copy(getattr(m, name)) for name in _state_names(m)}) for m in leaves]


def _restore_metric_states(kept):
    for metric, states in kept:
        for name, value in states.items():
            setattr(metric, name, value)


_STATE_NAMES = {}  # metric class -> the attributes its reset_state sets (its state, the rest is configuration)


def _state_names(metric):
    cls = type(metric)
    names = _STATE_NAMES.get(cls)
    if names is None:
        recorded = []

        class Recorder(cls):
            def __setattr__(self, name, value):
                recorded.append(name)
                object.__setattr__(self, name, value)

        recorder = copy.copy(metric)
        recorder.__class__ = Recorder
        recorder.reset_state()
        names = _STATE_NAMES[cls] = sorted(set(recorded))
    return names


def _probe(metric):
    """(a copy of `metric` with copies of its state, to read combined results from; its state's names)."""
    names = _state_names(metric)
    probe = copy.copy(metric)
    for name in names:
        setattr(probe, name, copy.copy(getattr(metric, name)))
    return probe, names
