"""model.summary(): Keras 3's table, byte for byte (keras_facts.md section 2)."""

import numpy as np
import pytest

import npkeras
from npkeras import layers, optimizers
from npkeras.models.summary import readable_memory_size

EXPECTED_88 = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ flatten (Flatten)                    │ (None, 784)                 │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense (Dense)                        │ (None, 128)                 │         100,480 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_1 (Dense)                      │ (None, 10)                  │           1,290 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 101,770 (397.54 KB)
 Trainable params: 101,770 (397.54 KB)
 Non-trainable params: 0 (0.00 B)
"""

EXPECTED_76 = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ flatten (Flatten)               │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 128)            │       100,480 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         1,290 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 101,770 (397.54 KB)
 Trainable params: 101,770 (397.54 KB)
 Non-trainable params: 0 (0.00 B)
"""

AFTER_ADAM_FOOTER = """\
 Total params: 305,312 (1.16 MB)
 Trainable params: 101,770 (397.54 KB)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 203,542 (795.09 KB)
"""


def _mlp():
    return npkeras.Sequential(
        [
            npkeras.Input((28, 28)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def _capture(model, **kwargs):
    calls = []
    result = model.summary(print_fn=calls.append, **kwargs)
    assert result is None
    assert len(calls) == 1, "print_fn receives the whole summary as one string"
    return calls[0]


def test_summary_at_88_columns():
    assert _capture(_mlp(), line_length=88) == EXPECTED_88


def test_summary_at_76_columns():
    assert _capture(_mlp(), line_length=76) == EXPECTED_76


def test_every_table_line_has_the_requested_width():
    for width in (88, 76):
        text = _capture(_mlp(), line_length=width)
        table = [line for line in text.splitlines() if line[:1] in "┏┃┡│├└"]
        assert len(table) == 9
        assert {len(line) for line in table} == {width}


def test_default_width_when_piped(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")  # what shutil sees when output is piped: 80 - 4 = 76
    _mlp().summary()
    assert capsys.readouterr().out == EXPECTED_76


def test_default_width_in_a_wide_terminal(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    _mlp().summary()
    assert capsys.readouterr().out == EXPECTED_88


def test_compiled_model_with_unbuilt_optimizer_has_no_optimizer_line():
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    assert _capture(model, line_length=88) == EXPECTED_88


def test_after_fit_with_adam_the_optimizer_params_are_counted():
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    model.fit(rng.random((8, 28, 28)).astype("float32"), rng.integers(0, 10, 8), epochs=1, verbose=0)
    text = _capture(model, line_length=88)
    table = EXPECTED_88.split(" Total params")[0]
    assert text == table + AFTER_ADAM_FOOTER
    assert " Optimizer params: 203,542 (795.09 KB)\n" in text
    assert " Total params: 305,312 (1.16 MB)\n" in text


def test_after_fit_with_plain_sgd_the_optimizer_params_are_counted():
    # keras 3.13.2: a built SGD without momentum still owns `iterations` (int64) and `learning_rate` (float32).
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    text = _capture(model, line_length=88)
    assert text.endswith(
        " Total params: 10 (44.00 B)\n"
        " Trainable params: 8 (32.00 B)\n"
        " Non-trainable params: 0 (0.00 B)\n"
        " Optimizer params: 2 (12.00 B)\n"
    )


def test_after_fit_with_sgd_momentum_the_optimizer_params_are_counted():
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    model.compile(optimizer=optimizers.SGD(momentum=0.9), loss="mse")
    model.fit(np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    text = _capture(model, line_length=88)
    assert text.endswith(
        " Total params: 18 (76.00 B)\n"
        " Trainable params: 8 (32.00 B)\n"
        " Non-trainable params: 0 (0.00 B)\n"
        " Optimizer params: 10 (44.00 B)\n"
    )


def test_unbuilt_model_shows_question_marks_and_unbuilt_counts():
    model = npkeras.Sequential([layers.Dense(4), layers.Dense(2)], name="unbuilt")
    text = _capture(model, line_length=88)
    lines = text.splitlines()
    assert lines[0] == 'Model: "unbuilt"'
    assert "│ dense (Dense)                        │ ?                           │     0 (unbuilt) │" in lines
    assert "│ dense_1 (Dense)                      │ ?                           │     0 (unbuilt) │" in lines
    assert lines[-3:] == [
        " Total params: 0 (0.00 B)",
        " Trainable params: 0 (0.00 B)",
        " Non-trainable params: 0 (0.00 B)",
    ]


def test_summary_after_lazy_build_shows_shapes():
    # As in keras 3.13.2: built by fit, the batch axis is None; built by a call, it is the call's batch size.
    fitted = npkeras.Sequential([layers.Dense(4), layers.Dense(2)])
    fitted.compile(optimizer="sgd", loss="mse")
    fitted.fit(np.zeros((3, 5), "float32"), np.zeros((3, 2), "float32"), verbose=0)
    text = _capture(fitted, line_length=88)
    assert "│ dense (Dense)                        │ (None, 4)                   │              24 │" in text
    assert "│ dense_1 (Dense)                      │ (None, 2)                   │              10 │" in text
    assert " Trainable params: 34 (136.00 B)\n" in text
    called = npkeras.Sequential([layers.Dense(4), layers.Dense(2)])
    called(np.zeros((3, 5), "float32"))
    text = _capture(called, line_length=88)
    assert "│ dense_2 (Dense)                      │ (3, 4)                      │              24 │" in text
    assert "│ dense_3 (Dense)                      │ (3, 2)                      │              10 │" in text


def test_subclassed_model_summary_lists_its_layers():
    class Net(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.a = layers.Dense(3)
            self.b = layers.Dense(1)

        def call(self, x, training=False):
            return self.b(self.a(x))

    model = Net()
    model(np.zeros((2, 4), "float32"))
    text = _capture(model, line_length=88)
    assert text.startswith('Model: "net"\n')
    assert "dense (Dense)" in text and "dense_1 (Dense)" in text
    assert " Total params: 19 (76.00 B)\n" in text


def test_a_subclassed_models_layers_show_the_output_shapes_of_what_they_were_built_for():
    """As keras 3.15.1 prints it after fit: a layer that computes output shapes shows its own, others "?"."""

    class Endpoint(layers.Layer):
        def call(self, logits, targets=None):
            return logits

    class Net(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(3)
            self.drop = layers.Dropout(0.1)
            self.end = Endpoint(name="end")

        def call(self, x):
            return self.end(self.drop(self.dense(x)), targets=x)

    model = Net()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((8, 4), "float32"), np.zeros((8, 3), "float32"), verbose=0)
    text = _capture(model, line_length=88)
    assert "│ dense (Dense)                        │ (None, 3)                   │              15 │" in text
    assert "│ dropout (Dropout)                    │ ?                           │               0 │" in text
    assert "│ end (Endpoint)                       │ ?                           │               0 │" in text


@pytest.mark.parametrize(
    ("n_bytes", "text"),
    [
        (0, "0.00 B"),
        (1023, "1023.00 B"),
        (1024, "1.00 KB"),
        (407080, "397.54 KB"),
        (814168, "795.09 KB"),
        (1221248, "1.16 MB"),
        (3 * 1024**3, "3.00 GB"),
    ],
)
def test_readable_memory_size(n_bytes, text):
    assert readable_memory_size(n_bytes) == text


def test_long_names_wrap_at_spaces_and_a_word_too_long_ends_in_an_ellipsis_as_keras_prints_it():
    model = npkeras.Sequential(
        [npkeras.Input((4,)), layers.Dense(3, name="a_really_long_layer_name_for_the_summary_table")]
    )
    text = _capture(model, line_length=76)
    assert "│ a_really_long_layer_name_for_t… │ (None, 3)              │            15 │" in text
    assert "│ (Dense)                         │                        │               │" in text
    assert all(len(line) == 76 for line in text.splitlines()[1:-4])


def test_summary_options_trainable_column_layer_range_and_nested_layers():
    inner = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3), layers.Dense(2)], name="inner")
    model = npkeras.Sequential([npkeras.Input((4,)), inner, layers.Dense(1, name="head")])
    model.get_layer("head").trainable = False
    text = _capture(model, line_length=76, show_trainable=True, expand_nested=True)
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert [row.split("│")[1].strip() for row in rows] == [
        "inner (Sequential)",
        "dense (Dense)",
        "dense_1 (Dense)",
        "head (Dense)",
    ]
    assert [row.split("│")[4].strip() for row in rows] == ["Y", "Y", "Y", "N"]
    assert all(len(line) == 76 for line in text.splitlines()[1:-4])
    ranged = _capture(model, line_length=76, layer_range=["head", "head"])
    assert [line.split("│")[1].strip() for line in ranged.splitlines() if line.startswith("│")] == ["head (Dense)"]
    with pytest.raises(ValueError, match="layer_range"):
        _capture(model, layer_range=["nope", "head"])


def test_a_multi_output_model_keeps_param_on_one_line_as_keras_3_lays_out_its_columns():
    inputs = npkeras.Input((3,))
    model = npkeras.Model(inputs, [layers.Dense(2, name="a")(inputs), layers.Dense(3, name="b")(inputs)])
    text = _capture(model, line_length=76)
    assert "┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃" in text
    assert "│ a (Dense)           │ (None, 2)         │          8 │ input_layer[0][0] │" in text
    trainable = _capture(model, line_length=76, show_trainable=True)
    assert "┃ Layer (type)      ┃ Output Shape    ┃   Param # ┃ Connected to   ┃ Trai… ┃" in trainable
    assert "│ input_layer       │ (None, 3)       │         0 │ -              │   -   │" in trainable  # no weights
    assert "│ a (Dense)         │ (None, 2)       │         8 │ input_layer[0… │   Y   │" in trainable


def _lstm_with_states():
    inputs = npkeras.Input((None, 4))
    output, state_h, state_c = layers.LSTM(2, return_state=True, name="encoder")(inputs)
    return inputs, output, state_h, state_c


def test_a_layer_with_several_outputs_lists_their_shapes_in_brackets_and_a_chain_with_many_outputs_is_sequential():
    inputs, output, state_h, state_c = _lstm_with_states()
    text = _capture(npkeras.Model(inputs, [output, state_h, state_c]), line_length=76)
    assert "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃" in text  # Keras 3.15's text
    assert "│ encoder (LSTM)                  │ [(None, 2), (None, 2), │            56 │" in text
    assert "│                                 │ (None, 2)]             │               │" in text
    a = layers.Dense(3, name="a")(output)
    text = _capture(npkeras.Model(inputs, [a, layers.Dense(1, name="c")(a)]), line_length=76)
    assert "│ c (Dense)                       │ (None, 1)              │             4 │" in text


def test_outputs_of_one_call_feeding_two_calls_make_a_graph_with_connections():
    inputs, output, state_h, _ = _lstm_with_states()
    model = npkeras.Model(inputs, [layers.Dense(3, name="a")(output), layers.Dense(1, name="b")(state_h)])
    text = _capture(model, line_length=76)
    assert "│ encoder (LSTM)      │ [(None, 2),       │         56 │ input_layer[0][0] │" in text  # Keras 3.15's text
    assert "│                     │ (None, 2), (None, │            │                   │" in text
    assert "│                     │ 2)]               │            │                   │" in text
    assert "│ b (Dense)           │ (None, 1)         │          3 │ encoder[0][1]     │" in text
