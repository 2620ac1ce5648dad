"""The Optimizer base: clipping, learning rates and schedules, None gradients, identifiers."""

import numpy as np
import pytest

import npkeras
from npkeras import optimizers
from npkeras.autograd import GradientTape, Variable, no_grad
from npkeras.layers import Dense


def _var(values):
    return Variable(np.asarray(values, dtype=np.float64), dtype="float64")


# ---- iterations and in-place updates ----------------------------------------------------


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.Adam, optimizers.RMSprop])
def test_iterations_count_applied_steps(cls):
    opt = cls()
    assert int(opt.iterations.data) == 0
    assert opt.iterations.dtype == np.int64
    var = _var([1.0, 2.0])
    for _ in range(4):
        opt.apply_gradients([(np.ones(2), var)])
    assert int(opt.iterations.data) == 4


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.Adam, optimizers.RMSprop])
def test_apply_updates_layer_weights_in_place(cls):
    layer = Dense(3)
    layer.build((None, 4))
    arrays = [w.data for w in layer.trainable_weights]
    before = [a.copy() for a in arrays]
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    opt = cls(learning_rate=0.1)
    with GradientTape() as tape:
        loss = (layer(x) ** 2).mean()
    grads = tape.gradient(loss, layer.trainable_weights)
    opt.apply(grads, layer.trainable_weights)
    for w, array, old in zip(layer.trainable_weights, arrays, before):
        assert w.data is array
        assert not np.array_equal(w.data, old)


def test_apply_and_apply_gradients_agree():
    a, b = _var([1.0, -1.0]), _var([1.0, -1.0])
    grads = [np.array([0.3, 0.7]), np.array([-0.2, 0.1])]
    opt_a, opt_b = optimizers.Adam(0.1), optimizers.Adam(0.1)
    for g in grads:
        opt_a.apply([g], [a])
        opt_b.apply_gradients([(g, b)])
    np.testing.assert_array_equal(a.data, b.data)


# ---- clipping ---------------------------------------------------------------------------


def test_clipnorm_scales_each_gradient_separately():
    big, small = _var([0.0, 0.0]), _var([0.0, 0.0])
    opt = optimizers.SGD(learning_rate=1.0, clipnorm=1.0)
    opt.apply_gradients([(np.array([3.0, 4.0]), big), (np.array([0.3, 0.4]), small)])
    np.testing.assert_allclose(big.data, [-0.6, -0.8], rtol=1e-12)
    np.testing.assert_allclose(small.data, [-0.3, -0.4], rtol=1e-12)


def test_clipvalue_clips_elementwise():
    var = _var([0.0, 0.0, 0.0])
    opt = optimizers.SGD(learning_rate=1.0, clipvalue=0.5)
    opt.apply_gradients([(np.array([3.0, -4.0, 0.2]), var)])
    np.testing.assert_allclose(var.data, [-0.5, 0.5, -0.2], rtol=1e-12)


def test_global_clipnorm_scales_all_gradients_together():
    a, b = _var([0.0, 0.0]), _var([0.0])
    opt = optimizers.SGD(learning_rate=1.0, global_clipnorm=1.0)
    opt.apply_gradients([(np.array([3.0, 4.0]), a), (np.array([12.0]), b)])  # global norm 13
    np.testing.assert_allclose(a.data, [-3 / 13, -4 / 13], rtol=1e-12)
    np.testing.assert_allclose(b.data, [-12 / 13], rtol=1e-12)
    c = _var([0.0])
    optimizers.SGD(learning_rate=1.0, global_clipnorm=5.0).apply_gradients([(np.array([2.0]), c)])
    np.testing.assert_allclose(c.data, [-2.0])  # under the limit: untouched


def test_clipping_does_not_modify_callers_gradients():
    grad = np.array([3.0, 4.0])
    optimizers.SGD(clipnorm=1.0).apply_gradients([(grad, _var([0.0, 0.0]))])
    optimizers.SGD(clipvalue=1.0).apply_gradients([(grad, _var([0.0, 0.0]))])
    np.testing.assert_array_equal(grad, [3.0, 4.0])


def test_clipping_applies_before_adam_update():
    clipped, reference = _var([0.0, 0.0]), _var([0.0, 0.0])
    optimizers.Adam(0.1, clipvalue=0.5).apply_gradients([(np.array([3.0, 0.25]), clipped)])
    optimizers.Adam(0.1).apply_gradients([(np.array([0.5, 0.25]), reference)])
    np.testing.assert_allclose(clipped.data, reference.data, rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"clipnorm": 1.0, "clipvalue": 1.0},
        {"clipnorm": 1.0, "global_clipnorm": 1.0},
        {"clipvalue": 0.5, "global_clipnorm": 1.0},
    ],
)
def test_two_clipping_arguments_are_an_error(kwargs):
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(**kwargs)


@pytest.mark.parametrize("kwargs", [{"clipnorm": 0.0}, {"clipvalue": -1.0}, {"global_clipnorm": -2.0}])
def test_non_positive_clip_is_an_error(kwargs):
    with pytest.raises(ValueError):
        optimizers.Adam(**kwargs)


# ---- learning rate ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.Adam, optimizers.RMSprop])
def test_negative_learning_rate_is_an_error(cls):
    with pytest.raises(ValueError, match="learning_rate"):
        cls(learning_rate=-0.1)


def test_learning_rate_is_float32_and_assignable():
    opt = optimizers.SGD(learning_rate=0.1)
    assert float(opt.learning_rate) == float(np.float32(0.1))
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == 0.5
    assert opt.get_config()["learning_rate"] == 0.5
    var = _var([1.0])
    opt.apply_gradients([(np.array([1.0]), var)])
    np.testing.assert_allclose(var.data, [0.5])
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = -1.0


def test_callable_schedule_is_called_with_the_step():
    seen = []

    def schedule(step):
        seen.append(int(step))
        return 0.1 * 0.5 ** int(step)

    var = _var([1.0])
    opt = optimizers.SGD(learning_rate=schedule)
    for _ in range(3):
        opt.apply_gradients([(np.array([1.0]), var)])
    np.testing.assert_allclose(var.data, [1.0 - 0.1 - 0.05 - 0.025], rtol=1e-6)
    assert seen[:3] == [0, 1, 2] or sorted(set(seen)) == [0, 1, 2]
    assert float(opt.learning_rate) == pytest.approx(0.1 * 0.5**3)


def test_schedule_with_adam_matches_stepwise_learning_rates():
    def schedule(step):
        return 0.01 * (1 + int(step))

    scheduled = _var([1.0, -2.0])
    opt = optimizers.Adam(learning_rate=schedule)
    grads = [np.array([0.5, -1.0]), np.array([0.2, 0.3]), np.array([-0.4, 0.1])]
    for g in grads:
        opt.apply_gradients([(g, scheduled)])
    # the same run, setting the rate by hand before each step
    manual = _var([1.0, -2.0])
    opt2 = optimizers.Adam()
    for step, g in enumerate(grads):
        opt2.learning_rate = 0.01 * (1 + step)
        opt2.apply_gradients([(g, manual)])
    np.testing.assert_allclose(scheduled.data, manual.data, rtol=1e-6)


# ---- None gradients ---------------------------------------------------------------------


def test_none_gradient_is_skipped():
    frozen, moving = _var([1.0, 2.0]), _var([1.0])
    opt = optimizers.SGD(learning_rate=0.1)
    opt.apply_gradients([(None, frozen), (np.array([1.0]), moving)])
    np.testing.assert_array_equal(frozen.data, [1.0, 2.0])
    np.testing.assert_allclose(moving.data, [0.9])
    assert int(opt.iterations.data) == 1


def test_variable_skipped_on_first_step_can_be_updated_later():
    """Keras builds the optimizer for every variable passed, before dropping None gradients."""
    first, second = _var([1.0, 1.0, 1.0]), _var([1.0, 1.0])
    opt = optimizers.SGD(learning_rate=0.1)
    opt.apply_gradients([(None, first), (np.ones(2), second)])
    opt.apply_gradients([(np.ones(3), first), (np.ones(2), second)])
    np.testing.assert_allclose(first.data, [0.9, 0.9, 0.9])
    np.testing.assert_allclose(second.data, [0.8, 0.8])


def test_all_none_gradients_is_an_error():
    """keras 3.13.2: ValueError('No gradients provided for any variable.')."""
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        optimizers.Adam().apply_gradients([(None, _var([1.0]))])


def test_unseen_variable_after_build_is_an_error():
    known, stranger = _var([1.0, 1.0]), _var([1.0, 1.0])
    opt = optimizers.Adam()
    opt.apply_gradients([(np.ones(2), known)])
    with pytest.raises(ValueError):
        opt.apply_gradients([(np.ones(2), stranger)])


# ---- weight decay -----------------------------------------------------------------------


def test_weight_decay_is_applied_before_the_update():
    var = _var([2.0])
    optimizers.SGD(learning_rate=0.1, weight_decay=0.5).apply_gradients([(np.array([1.0]), var)])
    # Keras: var -= var * wd * lr, then the SGD step
    np.testing.assert_allclose(var.data, [2.0 - 2.0 * 0.5 * 0.1 - 0.1], rtol=1e-7)


# ---- identifiers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("adam", optimizers.Adam),
        ("Adam", optimizers.Adam),
        ("sgd", optimizers.SGD),
        ("SGD", optimizers.SGD),
        ("rmsprop", optimizers.RMSprop),
        ("RMSprop", optimizers.RMSprop),
    ],
)
def test_get_by_name(identifier, cls):
    opt = optimizers.get(identifier)
    assert type(opt) is cls


def test_get_returns_default_hyperparameters():
    adam = optimizers.get("adam")
    assert float(adam.learning_rate) == pytest.approx(0.001)
    assert (adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == (0.9, 0.999, 1e-7, False)
    assert float(optimizers.get("sgd").learning_rate) == pytest.approx(0.01)
    assert optimizers.get("rmsprop").rho == 0.9


def test_get_by_config_and_instance():
    opt = optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.5, "momentum": 0.9}})
    assert isinstance(opt, optimizers.SGD)
    assert float(opt.learning_rate) == 0.5 and opt.momentum == 0.9
    instance = optimizers.RMSprop()
    assert optimizers.get(instance) is instance
    serialized = optimizers.serialize(optimizers.Adam(0.02))
    assert serialized["class_name"] == "Adam" and serialized["module"] == "keras.optimizers"
    assert optimizers.get(serialized).get_config() == optimizers.Adam(0.02).get_config()


def test_unknown_optimizer_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        optimizers.get("adamx")
    message = str(info.value)
    assert "Could not interpret optimizer identifier" in message
    assert "adamx" in message
    for name in ("adam", "sgd", "rmsprop"):
        assert name in message


def test_callables_are_not_optimizers():
    with pytest.raises(ValueError, match="optimizer"):
        optimizers.get(lambda: None)


def test_unknown_keyword_is_an_error():
    with pytest.raises(TypeError):
        optimizers.Adam(lr=0.1)


def test_get_config_common_keys_and_float_learning_rate():
    for opt in (optimizers.SGD(0.3), optimizers.Adam(0.3), optimizers.RMSprop(0.3)):
        config = opt.get_config()
        for key in (
            "name",
            "learning_rate",
            "weight_decay",
            "clipnorm",
            "global_clipnorm",
            "clipvalue",
            "use_ema",
            "ema_momentum",
            "ema_overwrite_frequency",
            "loss_scale_factor",
            "gradient_accumulation_steps",
        ):
            assert key in config
        assert type(config["learning_rate"]) is float
        assert config["learning_rate"] == float(np.float32(0.3))


def test_optimizer_does_not_build_graph_during_update():
    var = _var([1.0])
    with no_grad():
        optimizers.Adam().apply_gradients([(np.array([1.0]), var)])
    assert var.creator is None


def test_recycled_variable_ids_are_not_mistaken_for_known_variables():
    """The optimizer must not match a new variable to a dead one that happened to have the same id()."""
    opt = optimizers.Adam()
    opt.apply_gradients([(np.ones(2), _var([1.0, 1.0]))])  # this variable is freed right after the call
    for _ in range(20):
        stranger = _var([5.0, 5.0])
        with pytest.raises(ValueError, match="variable"):
            opt.apply_gradients([(np.ones(2), stranger)])
        np.testing.assert_array_equal(stranger.data, [5.0, 5.0])
        del stranger


def test_constraints_are_applied_after_each_update():
    variable = npkeras.Variable(np.array([1.0, -2.0, 3.0], "float32"))
    variable.constraint = lambda w: npkeras.ops.clip(w, 0.0, 1.0)
    optimizer = npkeras.optimizers.SGD(learning_rate=0.1)
    optimizer.apply([np.array([1.0, 1.0, 1.0], "float32")], [variable])
    np.testing.assert_allclose(variable.numpy(), [0.9, 0.0, 1.0], rtol=1e-6)
