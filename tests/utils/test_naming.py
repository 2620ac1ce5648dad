"""Keras auto-naming: to_snake_case (keras_facts.md section 6), uniquify, clear_session."""

import pytest

import npkeras
from npkeras import layers
from npkeras.backend import clear_session
from npkeras.utils.naming import to_snake_case, uniquify


# What Keras's three regexes give (checked against keras 3.13.2's keras.src.utils.naming.to_snake_case).
@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("Dense", "dense"),
        ("Conv2D", "conv2d"),
        ("BatchNormalization", "batch_normalization"),
        ("SimpleRNN", "simple_rnn"),
        ("LSTM", "lstm"),
        ("GRU", "gru"),
        ("InputLayer", "input_layer"),
        ("HTTPResponse", "http_response"),
        ("Conv2DTranspose", "conv2d_transpose"),
        ("GlobalAveragePooling2D", "global_average_pooling2d"),
        ("MaxPool2D", "max_pool2d"),
        ("ReLU", "re_lu"),
        ("PReLU", "p_re_lu"),
        ("ABCDef", "abc_def"),
        ("getHTTPResponseCode", "get_http_response_code"),
        ("My Layer!", "my_layer"),
        ("already_snake", "already_snake"),
    ],
)
def test_to_snake_case_follows_keras_regexes(name, snake):
    assert to_snake_case(name) == snake


def test_uniquify_counts_per_prefix():
    assert [uniquify("thing") for _ in range(3)] == ["thing", "thing_1", "thing_2"]
    assert uniquify("other") == "other"
    assert uniquify("thing") == "thing_3"


def test_clear_session_restarts_the_counters():
    uniquify("thing")
    clear_session()
    assert uniquify("thing") == "thing"


def test_layer_names_share_counters_per_class():
    names = [layers.Dense(1).name, layers.Dense(1).name, layers.Flatten().name, layers.Dense(1).name]
    assert names == ["dense", "dense_1", "flatten", "dense_2"]
    model = npkeras.Sequential([layers.Flatten(), layers.Dense(1)])
    assert model.name == "sequential"
    assert [layer.name for layer in model.layers] == ["flatten_1", "dense_3"]
    assert npkeras.Sequential().name == "sequential_1"


def test_inputs_are_named_input_layer():
    first = npkeras.Input((2,))
    second = npkeras.Input((3,))
    assert (first.name, second.name) == ("input_layer", "input_layer_1")


def test_explicit_names_do_not_consume_the_counter():
    assert layers.Dense(1, name="head").name == "head"
    assert layers.Dense(1).name == "dense"


def test_clear_session_resets_layer_and_model_names():
    layers.Dense(1)
    npkeras.Sequential()
    npkeras.clear_session()
    assert layers.Dense(1).name == "dense"
    assert npkeras.Sequential().name == "sequential"


@pytest.mark.parametrize("where", ["backend", "utils"])
def test_keras_clear_session_aliases(where):
    # keras.backend.clear_session() and keras.utils.clear_session() are the Keras spellings.
    layers.Dense(1)
    getattr(npkeras, where).clear_session()
    assert layers.Dense(1).name == "dense"
