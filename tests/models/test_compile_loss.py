"""CompileLoss: the logged loss equals the loss over the whole set, for several inputs and outputs, partial
last batches and sample weights; per-output names, weights and sample weights; serialized losses."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.models.compile_loss import CompileLoss

RNG = np.random.default_rng(0)
A = RNG.standard_normal((10, 3)).astype("float32")
B = RNG.standard_normal((10, 2)).astype("float32")
LABELS = RNG.integers(0, 2, 10)
VALUES = RNG.standard_normal((10, 1)).astype("float32")
WEIGHTS = RNG.random(10).astype("float32")


def two_inputs(as_dict):
    npkeras.utils.set_random_seed(0)
    a, b = npkeras.Input((3,), name="a"), npkeras.Input((2,), name="b")
    out = layers.Dense(1)(layers.Concatenate()([a, b]))
    return npkeras.Model({"a": a, "b": b} if as_dict else [a, b], out)


def two_outputs():
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((3,))
    hidden = layers.Dense(4, activation="tanh")(inputs)
    cls, reg = layers.Dense(2, activation="softmax", name="cls")(hidden), layers.Dense(1, name="reg")(hidden)
    return npkeras.Model(inputs, [cls, reg])


def squared_errors(pred, y):
    return np.mean((pred.astype("float64") - y) ** 2, axis=-1)


def cross_entropies(probs, labels):
    return -np.log(np.clip(probs.astype("float64")[np.arange(len(labels)), labels], 1e-7, 1.0))


@pytest.mark.parametrize("as_dict", [False, True], ids=["list", "dict"])
@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "sample-weighted"])
def test_two_inputs_with_a_partial_last_batch_log_the_loss_of_the_whole_set(as_dict, weighted):
    model = two_inputs(as_dict)
    model.compile(optimizer="sgd", loss="mse")
    x = {"a": A, "b": B} if as_dict else [A, B]
    sample_weight = WEIGHTS if weighted else None
    logged = model.evaluate(x, VALUES, batch_size=4, sample_weight=sample_weight, verbose=0)
    per_sample = squared_errors(model.predict(x, verbose=0), VALUES)
    expected = np.mean(per_sample * (WEIGHTS if weighted else 1.0))
    assert logged == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("weighted", [None, "shared", "per-output"])
def test_two_outputs_with_a_partial_last_batch_log_each_loss_of_the_whole_set(weighted):
    model = two_outputs()
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, 0.5])
    other = np.linspace(0.5, 2.0, 10).astype("float32")
    sample_weight = {None: None, "shared": WEIGHTS, "per-output": {"cls": WEIGHTS, "reg": other}}[weighted]
    logs = model.evaluate(A, [LABELS, VALUES], batch_size=4, sample_weight=sample_weight, verbose=0, return_dict=True)
    probs, values = model.predict(A, verbose=0)
    w_cls = 1.0 if weighted is None else WEIGHTS
    w_reg = {None: 1.0, "shared": WEIGHTS, "per-output": other}[weighted]
    cls_loss = np.mean(cross_entropies(probs, LABELS) * w_cls)
    reg_loss = np.mean(squared_errors(values, VALUES) * w_reg)
    assert logs["cls_loss"] == pytest.approx(cls_loss, rel=1e-6)
    assert logs["reg_loss"] == pytest.approx(reg_loss, rel=1e-6)
    assert logs["loss"] == pytest.approx(cls_loss + 0.5 * reg_loss, rel=1e-6)


def test_training_logs_count_samples_not_inputs():
    """A 2-input model's epoch loss is the mean over its samples (batch 4 of 10: the last batch has 2)."""
    model = two_inputs(as_dict=False)
    model.compile(optimizer=npkeras.optimizers.SGD(0.0), loss="mse")
    history = model.fit([A, B], VALUES, batch_size=4, shuffle=False, verbose=0)
    expected = np.mean(squared_errors(model.predict([A, B], verbose=0), VALUES))
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-6)


def test_a_subclassed_model_learns_its_output_names_from_its_predictions():
    class TwoHeads(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.first, self.second = layers.Dense(1), layers.Dense(2)

        def call(self, x):
            return [self.first(x), self.second(x)]

    model = TwoHeads()
    model.compile(optimizer="sgd", loss=["mse", "mae"])
    logs = model.evaluate(A, [VALUES, B], verbose=0, return_dict=True)
    assert set(logs) == {"loss", "output_0_loss", "output_1_loss"}
    first, second = model.predict(A, verbose=0)
    assert logs["output_1_loss"] == pytest.approx(np.mean(np.abs(second.astype("float64") - B)), rel=1e-6)


def test_a_serialized_loss_object_is_one_loss_not_a_dict_of_them(tmp_path):
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="adam", loss=npkeras.losses.SparseCategoricalCrossentropy(from_logits=True))
    expected = model.evaluate(A, LABELS, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = npkeras.models.load_model(tmp_path / "m.keras")
    assert loaded.evaluate(A, LABELS, verbose=0) == pytest.approx(expected, rel=1e-6)
    serialized = model.get_compile_config()["loss"]
    assert isinstance(serialized, dict) and serialized["class_name"] == "SparseCategoricalCrossentropy"


def test_targets_are_required_with_a_compiled_loss():
    loss = CompileLoss("mse", output_names=["out"])
    with pytest.raises(ValueError, match="compiled with a loss, so it needs targets"):
        loss(None, npkeras.ops.zeros((2, 1)))


def test_per_output_trackers_exist_only_for_several_outputs():
    assert CompileLoss("mse", output_names=["out"]).metrics == []
    names = [m.name for m in CompileLoss(["mse", None, "mae"], output_names=["a", "b", "c"]).metrics]
    assert names == ["a_loss", "c_loss"]
