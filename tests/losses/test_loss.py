"""Loss and LossFunctionWrapper: what a loss function receives."""

import numpy as np
import pytest

import npkeras
from npkeras import ops
from npkeras.autograd import gradient_check
from npkeras.losses import LossFunctionWrapper
from npkeras.losses.loss import squeeze_or_expand_to_same_rank


def contrastive(y_true, y_pred):
    """A loss written for labels of the predictions' rank: (batch,) labels against (batch, 1) predictions would
    broadcast to (batch, batch) without Keras's alignment."""
    return ops.mean((1 - y_true) * ops.square(y_pred) + y_true * ops.square(ops.maximum(1 - y_pred, 0)))


Y_TRUE = np.array([1.0, 0.0, 1.0, 0.0], "float32")
Y_PRED = np.array([[0.9], [0.2], [0.4], [0.7]], "float32")
EXPECTED = (0.1**2 + 0.2**2 + 0.6**2 + 0.7**2) / 4  # 0.225, Keras 3.15's value too


def test_a_wrapped_function_sees_labels_of_the_predictions_rank():
    assert float(LossFunctionWrapper(contrastive)(Y_TRUE, Y_PRED)) == pytest.approx(EXPECTED)


def test_a_function_given_to_compile_is_wrapped_the_same_way():
    inputs = npkeras.Input((1,))
    model = npkeras.Model(inputs, npkeras.layers.Identity()(inputs))
    model.compile(loss=contrastive)
    assert model.evaluate(Y_PRED, Y_TRUE, batch_size=4, verbose=0) == pytest.approx(EXPECTED)


@pytest.mark.parametrize(
    "true_shape, pred_shape, expected",
    [
        ((4,), (4, 1), ((4, 1), (4, 1))),  # a vector beside a column becomes a column
        ((4, 1), (4,), ((4, 1), (4, 1))),
        ((4, 3, 1), (4, 3), ((4, 3), (4, 3))),  # otherwise the trailing 1 goes
        ((4, 3), (4, 3, 1), ((4, 3), (4, 3))),
        ((4,), (4, 10), ((4,), (4, 10))),  # sparse labels stay as they are
    ],
)
def test_squeeze_or_expand_to_same_rank_as_keras(true_shape, pred_shape, expected):
    y_true, y_pred = squeeze_or_expand_to_same_rank(np.zeros(true_shape), ops.zeros(pred_shape))
    assert (tuple(y_true.shape), tuple(y_pred.shape)) == expected
    assert isinstance(y_true, np.ndarray)  # an array stays an array


RNG = np.random.default_rng(0)
PROBS = RNG.uniform(0.1, 0.9, (3, 4))
OTHER = RNG.uniform(0.1, 0.9, (3, 4))
VALUES, TARGETS = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))


@pytest.mark.parametrize(
    "loss, y_true, y_pred",
    [
        (npkeras.losses.KLDivergence(), PROBS, OTHER),
        (npkeras.losses.CategoricalCrossentropy(), PROBS, OTHER),
        (npkeras.losses.CategoricalCrossentropy(from_logits=True), PROBS, VALUES),
        (npkeras.losses.BinaryCrossentropy(), PROBS, OTHER),
        (npkeras.losses.BinaryCrossentropy(from_logits=True), PROBS, VALUES),
        (npkeras.losses.Poisson(), PROBS, OTHER),
        (npkeras.losses.MeanSquaredError(), TARGETS, VALUES),
        (npkeras.losses.Huber(), TARGETS, VALUES),
        (npkeras.losses.LogCosh(), TARGETS, VALUES),
        (npkeras.losses.MeanSquaredLogarithmicError(), PROBS, OTHER),
        (npkeras.losses.MeanAbsolutePercentageError(), TARGETS, VALUES),
        (npkeras.losses.CosineSimilarity(), TARGETS, VALUES),
        (npkeras.losses.Hinge(), TARGETS, VALUES),
        (npkeras.losses.CategoricalHinge(), PROBS, VALUES),
        (npkeras.losses.CategoricalFocalCrossentropy(), PROBS, OTHER),
        (npkeras.losses.Dice(), PROBS, OTHER),
        (npkeras.losses.Tversky(), PROBS, OTHER),
    ],
    ids=lambda v: getattr(v, "name", ""),
)
def test_losses_differentiate_with_respect_to_y_true_as_keras_does(loss, y_true, y_pred):
    """A Tensor target (a teacher's predictions) gets gradients; gradient_check checks both arguments."""
    assert gradient_check(lambda t, p: loss(t, p), y_true, y_pred, rtol=1e-4, atol=1e-6)


def test_a_model_whose_loss_compares_with_another_models_output_trains_both_as_keras_does():
    """Knowledge distillation's compute_loss pattern: Keras-TensorFlow updates the teacher as well."""
    teacher = npkeras.Sequential([npkeras.Input((3,)), npkeras.layers.Dense(4)])
    student = npkeras.Sequential([npkeras.Input((3,)), npkeras.layers.Dense(4)])

    class Pair(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.teacher, self.student = teacher, student

        def call(self, x):
            return self.student(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            target = ops.softmax(self.teacher(x, training=False))
            return npkeras.losses.KLDivergence()(target, ops.softmax(y_pred))

    model = Pair()
    model.compile(optimizer="sgd")
    before = [w.copy() for w in teacher.get_weights()]
    model.fit(RNG.standard_normal((8, 3)), np.zeros(8), batch_size=8, verbose=0)
    assert all(not np.allclose(a, b) for a, b in zip(before, teacher.get_weights()))
