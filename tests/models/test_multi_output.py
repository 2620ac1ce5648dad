"""Several outputs: a loss, loss weight and metrics per output, Keras's log names, and clear errors."""

import numpy as np
import pytest

import npkeras
from npkeras import layers

RNG = np.random.default_rng(0)
X = RNG.standard_normal((128, 6)).astype(np.float32)
LABELS = (X[:, 0] > 0).astype(int)
VALUES = (2 * X[:, 1] + X[:, 2]).astype(np.float32)[:, None]


def two_headed(dict_outputs=False):
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((6,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    cls, reg = layers.Dense(2, activation="softmax", name="cls")(hidden), layers.Dense(1, name="reg")(hidden)
    return npkeras.Model(inputs, {"label": cls, "value": reg} if dict_outputs else [cls, reg])


def test_the_total_loss_is_the_weighted_sum_and_each_output_is_logged():
    model = two_headed()
    model.compile(optimizer=npkeras.optimizers.Adam(0.02), loss=["sparse_categorical_crossentropy", "mse"],
                  loss_weights=[1.0, 0.5], metrics={"cls": ["accuracy"], "reg": ["mae"]})  # fmt: skip
    history = model.fit(X, [LABELS, VALUES], epochs=20, batch_size=32, verbose=0)
    assert set(history.history) == {"loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"}
    assert history.history["cls_accuracy"][-1] > 0.9 and history.history["reg_mae"][-1] < 0.5
    logs = model.evaluate(X, [LABELS, VALUES], verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(logs["cls_loss"] + 0.5 * logs["reg_loss"], rel=1e-5)
    probabilities, values = model.predict(X, verbose=0)
    expected_mae = float(np.mean(np.abs(values - VALUES)))
    assert logs["reg_mae"] == pytest.approx(expected_mae, rel=1e-5)
    assert logs["cls_accuracy"] == pytest.approx(float(np.mean(probabilities.argmax(1) == LABELS)))


def test_dict_outputs_take_dict_losses_and_targets():
    model = two_headed(dict_outputs=True)
    model.compile(optimizer="adam", loss={"label": "sparse_categorical_crossentropy", "value": "mse"},
                  metrics=[["accuracy"], ["mae"]])  # fmt: skip
    logs = model.evaluate(X, {"label": LABELS, "value": VALUES}, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "label_loss", "value_loss", "label_accuracy", "value_mae"}


def test_an_output_without_a_loss_is_not_trained():
    model = two_headed()
    model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy"})
    logs = model.evaluate(X, [LABELS, VALUES], verbose=0, return_dict=True)
    assert "reg_loss" not in logs and logs["loss"] == pytest.approx(logs["cls_loss"], rel=1e-6)


def test_a_several_output_model_saves_its_compile_config(tmp_path):
    model = two_headed()
    model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, 0.5])
    model.fit(X, [LABELS, VALUES], epochs=1, verbose=0)
    model.save(tmp_path / "two.keras")
    loaded = npkeras.models.load_model(tmp_path / "two.keras")
    assert loaded.get_compile_config()["loss"] == ["sparse_categorical_crossentropy", "mse"]
    np.testing.assert_allclose(loaded.evaluate(X, [LABELS, VALUES], verbose=0),
                               model.evaluate(X, [LABELS, VALUES], verbose=0), rtol=1e-6)  # fmt: skip


@pytest.mark.parametrize(
    "compile_kwargs, message",
    [
        ({"loss": ["mse"]}, r"`loss` has 1 entries, but the model has 2 outputs \['cls', 'reg'\]"),
        ({"loss": {"cls": "mse", "other": "mse"}}, r"`loss` names outputs \['other'\]"),
        ({"loss": "mse", "loss_weights": [1.0, 2.0, 3.0]}, "`loss_weights` has 3 entries"),
    ],
)
def test_bad_per_output_arguments(compile_kwargs, message):
    with pytest.raises(ValueError, match=message):
        two_headed().compile(optimizer="adam", **compile_kwargs)


def test_targets_must_match_the_outputs():
    model = two_headed()
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="The model expects 2 inputs|2 outputs"):
        model.fit(X, [VALUES], epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`class_weight` is only supported for models with a single output"):
        model.fit(X, [LABELS, VALUES], class_weight={0: 1.0, 1: 2.0}, epochs=1, verbose=0)


def zero_head(name):
    return layers.Dense(2, name=name, kernel_initializer="zeros", bias_initializer="zeros")


def constant_heads():
    """Two zero-kernel heads named out of alphabetical order: every prediction is 0."""
    inputs = npkeras.Input((3,))
    return inputs, zero_head("priority")(inputs), zero_head("department")(inputs)


def test_a_dict_of_outputs_is_ordered_by_key_as_keras_flattens_it():
    inputs, priority, department = constant_heads()
    model = npkeras.Model(inputs, {"priority": priority, "department": department})
    assert model.outputs == [department, priority]
    assert [layer.name for layer in model.layers] == [model.layers[0].name, "department", "priority"]
    assert list(model.predict(np.ones((2, 3)), verbose=0)) == ["priority", "department"]  # the dict as given


class DictHeads(npkeras.Model):
    def __init__(self):
        super().__init__()
        self.priority, self.department = zero_head("priority"), zero_head("department")

    def call(self, x):
        return {"priority": self.priority(x), "department": self.department(x)}


@pytest.mark.parametrize("subclassed", [False, True])
def test_a_list_of_losses_follows_the_sorted_output_names(subclassed):
    """Keras gives loss[0] to "department": mse of 0 against 2 is 4, and mae of 0 against 3 is 3."""
    if subclassed:
        model = DictHeads()
    else:
        inputs, priority, department = constant_heads()
        model = npkeras.Model(inputs, {"priority": priority, "department": department})
    model.compile(optimizer="sgd", loss=["mse", "mae"])
    targets = {"priority": np.full((4, 2), 3.0), "department": np.full((4, 2), 2.0)}
    logs = model.evaluate(np.ones((4, 3)), targets, verbose=0, return_dict=True)
    assert logs == pytest.approx({"department_loss": 4.0, "priority_loss": 3.0, "loss": 7.0})
