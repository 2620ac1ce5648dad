"""plot_model / model_to_dot as Keras 3 draws models: one node per layer, one arrow per connection (skip connections
and shared layers included), nested models as clusters, the HTML labels, real PNG/SVG files, and the messages
when pydot or Graphviz is missing."""

import os
import struct
import sys
import types

import numpy as np
import pydot
import pytest

import npkeras
from npkeras import layers, models
from npkeras.cli import MODELS
from npkeras.utils import model_to_dot, plot_model
from npkeras.utils import model_visualization as mv

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def node_names(graph):
    """The names of a pydot graph's own nodes, in order (without the `node [...]` defaults entry)."""
    return [n.get_name() for n in graph.get_nodes() if n.get_name() not in ("node", "edge", "graph")]


def edge_pairs(graph):
    return [(e.get_source(), e.get_destination()) for e in graph.get_edges()]


def labels(graph):
    return {n.get_name(): n.get("label") for n in graph.get_nodes() if n.get_name() not in ("node", "edge", "graph")}


def ids(*layers_):
    return [str(id(layer)) for layer in layers_]


def by_name(model):
    """str(id(layer)) -> layer name, for every layer of the model (Keras names nodes by id(layer))."""
    return {str(id(layer)): layer.name for layer in getattr(model, "operations", model.layers)}


def notes_cnn():
    """§1.2's CNN, as `npkeras train cnn` builds it (the notes' layers, after an Input)."""
    return MODELS["cnn"][0]()


def png_size(data):
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])  # width, height


# ---- Sequential: the notes' CNN ------------------------------------------------------


def test_notes_cnn_nodes_are_its_layers_and_edges_its_chain():
    model = notes_cnn()
    dot = model_to_dot(model)
    assert isinstance(dot, pydot.Dot)
    assert node_names(dot) == ids(*model.layers)  # 8 boxes, no Input box for a Sequential, as in Keras
    assert len(model.layers) == 8
    assert edge_pairs(dot) == list(zip(ids(*model.layers), ids(*model.layers[1:])))
    assert all(e.get("penwidth") == "2" for e in dot.get_edges())
    assert dot.get("rankdir") == "TB" and dot.get("dpi") == 200 and dot.get("splines") == "ortho"
    assert dot.get("concentrate") is True
    label = labels(dot)[str(id(model.layers[0]))]
    assert label.startswith('<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">')
    assert f"<b>{model.layers[0].name}</b> (Conv2D)" in label
    assert "shape" not in label and "Activation" not in label and "dtype" not in label


def test_notes_cnn_labels_show_shapes():
    model = notes_cnn()
    found = labels(model_to_dot(model, show_shapes=True))
    outputs = [(None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64), (None, 5, 5, 64), (None, 3, 3, 64),
               (None, 576), (None, 64), (None, 10)]  # fmt: skip
    inputs = [(None, 28, 28, 1)] + outputs[:-1]
    for layer, shape_in, shape_out in zip(model.layers, inputs, outputs):
        label = found[str(id(layer))]
        assert f"Input shape: <b>{shape_in}</b>" in label
        assert f"Output shape: <b>{shape_out}</b>" in label
        assert 'colspan="2"' in label


def test_labels_class_only_activation_dtype_trainable():
    model = notes_cnn()
    model.layers[0].trainable = False
    found = labels(
        model_to_dot(
            model,
            show_layer_names=False,
            show_dtype=True,
            show_layer_activations=True,
            show_trainable=True,
        )
    )
    conv, pool, dense = (found[str(id(model.layers[i]))] for i in (0, 1, 7))
    assert "<b>Conv2D</b>" in conv and model.layers[0].name not in conv
    assert "Activation: <b>relu</b>" in conv and "Activation: <b>softmax</b>" in dense
    assert "Activation" not in pool  # a layer without an activation
    assert "Output dtype: <b>float32</b>" in pool
    assert "<b>Non-trainable</b>" in conv and 'bgcolor="firebrick"' in conv
    assert "<b>Trainable</b>" in dense and 'bgcolor="forestgreen"' in dense
    assert "rainable" not in pool  # no weights, no trainable cell
    assert 'colspan="2"' in conv and "shape" not in conv  # dtype + trainable columns, no shapes


# ---- functional: ResNet-20, several inputs and outputs, shared layers ----------------


def _config_edges(model):
    """(source name, destination name) of every connection, read from the model's config (an independent path)."""

    def histories(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            yield value["config"]["keras_history"][0]
        elif isinstance(value, dict):
            for v in value.values():
                yield from histories(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                yield from histories(v)

    return {(source, entry["name"]) for entry in model.get_config()["layers"] for source in histories(entry)}


def test_resnet20_nodes_are_layers_and_edges_include_skip_connections():
    model = npkeras.applications.ResNet20(input_shape=(32, 32, 3))
    dot = model_to_dot(model)
    assert sorted(node_names(dot)) == sorted(ids(*model.operations))
    names = by_name(model)
    edges = [(names[a], names[b]) for a, b in edge_pairs(dot)]
    assert len(edges) == len(set(edges))
    assert set(edges) == _config_edges(model)
    adds = [layer for layer in model.layers if type(layer).__name__ == "Add"]
    assert len(adds) == 9  # 3 stages x 3 basic blocks, each closed by its skip connection
    for add in adds:
        assert sorted(s for s, d in edges if d == add.name) == sorted(t._keras_history[0].name for t in add.input)
        assert sum(d == add.name for _, d in edges) == 2
    # a chain of len(layers) boxes has len(layers) - 1 arrows; each skip connection adds one
    assert len(edges) == len(model.layers) - 1 + len(adds)
    assert edges[:3] == [("input_layer", "conv1_conv"), ("conv1_conv", "conv1_bn"), ("conv1_bn", "conv1_relu")]


def two_input_model():
    a = npkeras.Input((3,), name="a")
    b = npkeras.Input((5,), name="b")
    x = layers.concatenate([layers.Dense(4, name="da")(a), layers.Dense(6, name="db")(b)], name="concat")
    out1 = layers.Dense(1, name="out1")(x)
    out2 = layers.Dense(2, activation="softmax", name="out2")(x)
    return npkeras.Model([a, b], [out1, out2])


def test_two_inputs_concatenate_two_outputs():
    model = two_input_model()
    dot = model_to_dot(model, show_shapes=True)
    names = by_name(model)
    assert sorted(names[n] for n in node_names(dot)) == ["a", "b", "concat", "da", "db", "out1", "out2"]
    edges = {(names[s], names[d]) for s, d in edge_pairs(dot)}
    assert edges == {("a", "da"), ("b", "db"), ("da", "concat"), ("db", "concat"), ("concat", "out1"),
                     ("concat", "out2")}  # fmt: skip
    found = {names[k]: v for k, v in labels(dot).items()}
    assert "Output shape: <b>(None, 3)</b>" in found["a"] and "Input shape" not in found["a"]  # an Input box
    assert "<b>a</b> (InputLayer)" in found["a"]
    assert "Input shape: <b>[(None, 4), (None, 6)]</b>" in found["concat"]
    assert "Output shape: <b>(None, 10)</b>" in found["concat"]
    assert "Output shape: <b>(None, 2)</b>" in found["out2"]


def test_shared_layer_is_one_node_with_several_edges():
    a, b = npkeras.Input((3,), name="left"), npkeras.Input((3,), name="right")
    shared = layers.Dense(4, name="shared")
    ha, hb = shared(a), shared(b)
    out = layers.subtract([layers.Dense(2, name="head_a")(ha), layers.Dense(2, name="head_b")(hb)], name="diff")
    model = npkeras.Model([a, b], out)
    dot = model_to_dot(model, show_shapes=True)
    names = by_name(model)
    assert sorted(names[n] for n in node_names(dot)) == ["diff", "head_a", "head_b", "left", "right", "shared"]
    edges = sorted((names[s], names[d]) for s, d in edge_pairs(dot))
    assert edges == [("head_a", "diff"), ("head_b", "diff"), ("left", "shared"), ("right", "shared"),
                     ("shared", "head_a"), ("shared", "head_b")]  # fmt: skip
    # a shared layer called twice on one consumer is still one arrow
    x = npkeras.Input((3,), name="x")
    twice = npkeras.Model(x, layers.add([shared(x), shared(x)], name="sum"))
    twice_names = by_name(twice)
    assert sorted((twice_names[s], twice_names[d]) for s, d in edge_pairs(model_to_dot(twice))) == [
        ("shared", "sum"),
        ("x", "shared"),
    ]


# ---- nested models ---------------------------------------------------------------------


def nested_model():
    inner_in = npkeras.Input((4,), name="inner_in")
    hidden = layers.Dense(4, name="inner_hidden")(inner_in)
    inner = npkeras.Model(inner_in, layers.Dense(3, name="inner_dense")(hidden), name="inner")
    block = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2, name="s1"), layers.Dense(2, name="s2")],
                               name="block")  # fmt: skip
    x = npkeras.Input((4,), name="outer_in")
    out = layers.Dense(1, name="post")(block(inner(layers.Dense(4, name="pre")(x))))
    return npkeras.Model(x, out, name="outer"), inner, block


def test_nested_models_collapsed():
    model, inner, block = nested_model()
    dot = model_to_dot(model, show_shapes=True)
    names = by_name(model)
    assert [names[n] for n in node_names(dot)] == ["outer_in", "pre", "inner", "block", "post"]
    assert dot.get_subgraphs() == []
    assert [(names[s], names[d]) for s, d in edge_pairs(dot)] == [
        ("outer_in", "pre"),
        ("pre", "inner"),
        ("inner", "block"),
        ("block", "post"),
    ]
    found = labels(dot)
    assert "<b>inner</b> (Functional)" in found[str(id(inner))]
    assert "Output shape: <b>(None, 3)</b>" in found[str(id(inner))]
    assert "<b>block</b> (Sequential)" in found[str(id(block))]


def test_nested_models_expanded_as_clusters():
    model, inner, block = nested_model()
    dot = model_to_dot(model, expand_nested=True, show_shapes=True)
    names = {**by_name(model), **by_name(inner), **by_name(block)}
    assert [names[n] for n in node_names(dot)] == ["outer_in", "pre", "post"]
    clusters = {c.get_name(): c for c in dot.get_subgraphs()}
    assert set(clusters) == {"cluster_inner", "cluster_block"}
    inner_c, block_c = clusters["cluster_inner"], clusters["cluster_block"]
    assert inner_c.get("style") == "dashed" and inner_c.get("label") == "inner" and inner_c.get("labeljust") == "l"
    assert [names[n] for n in node_names(inner_c)] == ["inner_in", "inner_hidden", "inner_dense"]
    assert [names[n] for n in node_names(block_c)] == ["s1", "s2"]  # a Sequential's Input is not drawn
    assert [(names[s], names[d]) for s, d in edge_pairs(inner_c)] == [
        ("inner_in", "inner_hidden"),
        ("inner_hidden", "inner_dense"),
    ]
    assert [(names[s], names[d]) for s, d in edge_pairs(block_c)] == [("s1", "s2")]
    # arrows into and out of a nested model reach the layers inside it
    assert [(names[s], names[d]) for s, d in edge_pairs(dot)] == [
        ("outer_in", "pre"),
        ("pre", "inner_in"),
        ("inner_dense", "s1"),
        ("s2", "post"),
    ]
    assert "Output shape: <b>(None, 2)</b>" in labels(block_c)[str(id(block.layers[0]))]


def test_sequential_holding_a_functional_model_expanded():
    inner_in = npkeras.Input((4,), name="inner_in")
    inner = npkeras.Model(inner_in, layers.Dense(3, name="inner_dense")(inner_in), name="inner")
    model = npkeras.Sequential(
        [npkeras.Input((2,)), layers.Dense(4, name="first"), inner, layers.Dense(1, name="last")]
    )
    names = {**by_name(model), **by_name(inner)}
    assert [(names[s], names[d]) for s, d in edge_pairs(model_to_dot(model))] == [
        ("first", "inner"),
        ("inner", "last"),
    ]
    dot = model_to_dot(model, expand_nested=True)
    assert [(names[s], names[d]) for s, d in edge_pairs(dot)] == [("first", "inner_in"), ("inner_dense", "last")]
    assert [c.get_name() for c in dot.get_subgraphs()] == ["cluster_inner"]


def test_subgraph_returns_a_cluster():
    model = two_input_model()
    cluster = model_to_dot(model, subgraph=True)
    assert isinstance(cluster, pydot.Cluster)
    assert cluster.get_name() == f"cluster_{model.name}"
    assert len(node_names(cluster)) == 7


# ---- subclassed and unbuilt models, arguments ----------------------------------------


class Subclassed(npkeras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(4)
        self.out = layers.Dense(1)

    def call(self, inputs, training=False):
        return self.out(self.hidden(inputs))


def test_subclassed_model_is_one_node_and_unbuilt_models_are_refused():
    model = Subclassed(name="my_model")
    with pytest.raises(ValueError, match="not been built"):
        model_to_dot(model)
    with pytest.raises(ValueError, match="not been built"):
        plot_model(model)
    with pytest.raises(ValueError, match="not been built"):
        model_to_dot(models.Sequential([layers.Dense(2)]))
    model(np.zeros((2, 3), "float32"))
    dot = model_to_dot(model, show_shapes=True, show_dtype=True)
    assert node_names(dot) == ids(model)
    assert edge_pairs(dot) == []
    label = labels(dot)[str(id(model))]
    assert "<b>my_model</b> (Subclassed)" in label
    assert "Input shape: <b>?</b>" in label and "Output shape: <b>?</b>" in label and "Output dtype: <b>?</b>" in label


def test_unknown_and_removed_arguments():
    model = notes_cnn()
    with pytest.raises(ValueError, match="layer_range"):
        model_to_dot(model, layer_range=["conv2d", "dense"])
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        model_to_dot(model, show_colours=True)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        plot_model(model, show_colours=True)
    dot = model_to_dot(model, rankdir="LR", dpi=72, splines="curved")
    assert (dot.get("rankdir"), dot.get("dpi"), dot.get("splines")) == ("LR", 72, "curved")


def test_other_import_paths():
    assert npkeras.utils.model_to_dot is mv.model_to_dot and npkeras.utils.plot_model is mv.plot_model
    assert {"model_to_dot", "plot_model"} <= set(npkeras.utils.__all__)
    from npkeras.utils import vis_utils

    assert vis_utils.plot_model is plot_model and vis_utils.model_to_dot is model_to_dot


# ---- files -------------------------------------------------------------------------


def test_plot_model_writes_png_growing_with_the_layer_count(tmp_path, graphviz):
    def stack(n):
        return models.Sequential([npkeras.Input((3,))] + [layers.Dense(3) for _ in range(n)])

    sizes = []
    for n in (2, 6):
        target = tmp_path / f"stack{n}.png"
        assert plot_model(stack(n), to_file=target, dpi=40) is None  # not in IPython: nothing to display
        data = target.read_bytes()
        sizes.append(png_size(data))
    (w2, h2), (w6, h6) = sizes
    assert h6 > 2 * h2 and w6 == pytest.approx(w2, rel=0.2)  # top to bottom: taller, not wider
    assert sorted(os.listdir(tmp_path)) == ["stack2.png", "stack6.png"]  # no temporary file left behind
    wide = tmp_path / "wide.png"
    plot_model(stack(6), to_file=str(wide), rankdir="LR", dpi=40)
    w, h = png_size(wide.read_bytes())
    assert w > h


def test_plot_model_svg_dot_and_no_extension(tmp_path, graphviz):
    model = two_input_model()
    plot_model(model, to_file=tmp_path / "m.svg", show_shapes=True, show_layer_names=True)
    svg = (tmp_path / "m.svg").read_text()
    assert "<svg" in svg and "concat" in svg and "(None, 10)" in svg
    plot_model(model, to_file=tmp_path / "m.dot")
    assert (tmp_path / "m.dot").read_text().startswith("digraph")
    plot_model(model, to_file=tmp_path / "plain", dpi=30)
    assert (tmp_path / "plain").read_bytes()[:8] == PNG_MAGIC


def test_plot_model_layer_names_off_by_default_as_in_keras3(tmp_path, graphviz):
    model = two_input_model()
    plot_model(model, to_file=tmp_path / "m.svg")
    svg = (tmp_path / "m.svg").read_text()
    assert "InputLayer" in svg and "concat" not in svg


def test_failed_render_leaves_the_old_file(tmp_path, graphviz):
    target = tmp_path / "model.bogus"
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match="bogus"):
        plot_model(notes_cnn(), to_file=target)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.bogus"]


# ---- missing pydot or Graphviz -------------------------------------------------------


def _hide_pydot(monkeypatch):
    for name in ("pydot", "pydot_ng", "pydotplus"):
        monkeypatch.setitem(sys.modules, name, None)  # `import pydot` now raises ImportError


def test_missing_pydot_raises_import_error_naming_the_extra(monkeypatch, tmp_path):
    model = notes_cnn()
    _hide_pydot(monkeypatch)
    assert not mv.check_pydot() and not mv.check_graphviz()
    with pytest.raises(ImportError, match=r'pip install "npkeras\[plots\]"') as info:
        model_to_dot(model)
    assert "model_to_dot" in str(info.value) and "pydot" in str(info.value)
    with pytest.raises(ImportError, match=r'pip install "npkeras\[plots\]"'):
        plot_model(model, to_file=tmp_path / "m.png")
    assert os.listdir(tmp_path) == []


def test_missing_graphviz_raises_import_error(monkeypatch, tmp_path):
    def no_dot(*args, **kwargs):
        raise FileNotFoundError(2, '"dot" not found in path.')

    monkeypatch.setattr(pydot.Dot, "create", no_dot)
    assert mv.check_pydot() and not mv.check_graphviz()
    with pytest.raises(ImportError, match="graphviz") as info:
        plot_model(notes_cnn(), to_file=tmp_path / "m.png")
    assert "https://graphviz.gitlab.io/download/" in str(info.value)
    assert os.listdir(tmp_path) == []


def test_inside_ipython_a_missing_dependency_is_printed(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "IPython.core.magics.namespace", types.ModuleType("namespace"))
    _hide_pydot(monkeypatch)
    assert plot_model(notes_cnn(), to_file=tmp_path / "m.png") is None
    assert 'pip install "npkeras[plots]"' in capsys.readouterr().out
    assert os.listdir(tmp_path) == []
