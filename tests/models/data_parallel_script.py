"""Run by the tests under `mpiexec -n 2`: train data-parallel and write what the tests compare.

`python data_parallel_script.py OUT train`: every scenario, plus per-process batch norm, evaluate, predict, files and
stopping; each process writes OUT/rank<r>.npz and OUT/rank<r>.json. `... OUT raise` and `... OUT mismatch`
end in an error on one process."""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data_parallel_scenarios as scenarios  # noqa: E402

import npkeras  # noqa: E402
from npkeras import layers  # noqa: E402

out, mode = sys.argv[1], sys.argv[2]
npkeras.distribution.set_distribution(npkeras.distribution.DataParallel())
rank = npkeras.distribution.process_id()
arrays, facts = {}, {"processes": npkeras.distribution.num_processes(), "devices": npkeras.distribution.list_devices()}


class StopOnProcessOne(npkeras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if rank == 1 and batch == 2:
            self.model.stop_training = True


class FailOnProcessOne(npkeras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if rank == 1 and batch == 2:
            raise RuntimeError("process 1 fails at batch 2")


if mode == "train":
    for name in scenarios.SCENARIOS:
        model, history = scenarios.trained(name)
        arrays.update({f"{name}/{i}": w for i, w in enumerate(model.get_weights())})
        facts[name] = history.history
    npkeras.utils.set_random_seed(2)
    own = npkeras.Sequential([npkeras.Input((12,)), layers.BatchNormalization(), layers.Dense(3)])
    own.compile("sgd", "mse")
    own.fit(scenarios.FEATURES[:8], np.zeros((8, 3)), batch_size=8, epochs=1, shuffle=False, verbose=0)
    arrays["own_batch_norm_moving_mean"] = own.layers[0].moving_mean.data

    lone_sample = scenarios.trained_on_a_last_batch_of_one()
    arrays.update({f"last_batch_of_one/{i}": w for i, w in enumerate(lone_sample.get_weights())})
    facts["evaluate_last_batch_of_one"] = lone_sample.evaluate(scenarios.FEATURES[:33], scenarios.LABELS[:33],
                                                               batch_size=8, verbose=0, return_dict=True)  # fmt: skip
    model, _ = scenarios.trained("mlp_sgd")
    x, y = scenarios.FEATURES[:37], scenarios.LABELS[:37]  # batches of 8, the last one of 5
    facts["evaluate"] = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    arrays["predict"] = model.predict(x, batch_size=8, verbose=0)
    arrays["weights_evaluated"] = np.concatenate([w.reshape(-1) for w in model.get_weights()])

    folder = os.path.join(out, f"rank{rank}")
    os.makedirs(folder, exist_ok=True)
    files = [
        npkeras.callbacks.ModelCheckpoint(os.path.join(folder, "checkpoint.keras")),
        npkeras.callbacks.CSVLogger(os.path.join(folder, "log.csv")),
    ]
    model.fit(scenarios.FEATURES, scenarios.LABELS, batch_size=16, epochs=1, verbose=0, callbacks=files)
    model.save(os.path.join(folder, "model.keras"))
    stopped = model.fit(scenarios.FEATURES, scenarios.LABELS, batch_size=16, epochs=3, verbose=0,
                        callbacks=[StopOnProcessOne()])  # fmt: skip
    facts["stopped_after_steps"] = int(model.optimizer.iterations.data)
    facts["stopped_epochs"] = len(stopped.history["loss"])
    facts["cross_validation"] = scenarios.cross_validated()
    early = npkeras.callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=10.0)
    facts["early_stopping_epochs"] = len(model.fit(scenarios.FEATURES, scenarios.LABELS, batch_size=16, epochs=5,
                                                   verbose=0, callbacks=[early]).history["loss"])  # fmt: skip
elif mode == "raise":
    model, _ = scenarios.trained("mlp_sgd")
    model.fit(scenarios.FEATURES, scenarios.LABELS, batch_size=16, epochs=1, verbose=0, callbacks=[FailOnProcessOne()])
elif mode == "mismatch":
    model = npkeras.Sequential([npkeras.Input((12,)), layers.Dense(3 if rank == 0 else 4)])
    model.compile("sgd", "mse")
    model.fit(scenarios.FEATURES, np.zeros((160, 3 if rank == 0 else 4)), batch_size=16, verbose=0)

np.savez(os.path.join(out, f"rank{rank}.npz"), **arrays)
with open(os.path.join(out, f"rank{rank}.json"), "w") as f:
    json.dump(facts, f)
