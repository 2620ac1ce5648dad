"""Keras's weight paths for npkeras models: containers, attribute names, "_N" repeats, variable order."""

import npkeras
from npkeras import layers
from npkeras.saving.object_tree import variable_groups


def test_paths_follow_keras_naming():
    model = npkeras.Sequential(
        [
            layers.Input((6, 3)),
            layers.Bidirectional(layers.LSTM(2, return_sequences=True)),
            layers.TimeDistributed(layers.Dense(2)),
            layers.Dense(2),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    paths = {path: [v.name for v in variables] for path, _, variables in variable_groups(model)}
    assert paths == {
        "": [],
        "layers/bidirectional": [],
        "layers/bidirectional/backward_layer": [],
        "layers/bidirectional/backward_layer/cell": ["kernel", "recurrent_kernel", "bias"],
        "layers/bidirectional/forward_layer": [],
        "layers/bidirectional/forward_layer/cell": ["kernel", "recurrent_kernel", "bias"],
        "layers/time_distributed": [],
        "layers/time_distributed/layer": ["kernel", "bias"],
        "layers/dense": ["kernel", "bias"],
        "layers/dense_1": ["kernel", "bias"],
        "optimizer": ["iteration", "learning_rate"],
    }


def test_trainable_variables_come_before_the_others_in_each_group():
    model = npkeras.Sequential([layers.Input((3,)), layers.BatchNormalization()])
    (_, _, _), (path, _, variables) = variable_groups(model, include_optimizer=False)
    assert path == "layers/batch_normalization"
    assert [v.name for v in variables] == ["gamma", "beta", "moving_mean", "moving_variance"]


def test_a_shared_sublayer_is_saved_once():
    dense = layers.Dense(2)
    model = npkeras.Sequential([layers.Input((2,)), dense])
    model.extra = [dense]  # also reachable through an attribute: visited already
    assert [p for p, _, _ in variable_groups(model, include_optimizer=False)] == ["", "layers/dense"]
