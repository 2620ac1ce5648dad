"""plot_model and model_to_dot: a model's layers as boxes and the tensors passed between them as arrows, drawn
by Graphviz through pydot, with the labels, edges and nested-model clusters Keras 3 draws.

pydot is imported on first use, so npkeras imports without it; `pip install "npkeras[plots]"` brings it, and
Graphviz's `dot` program comes from the system's packages (`apt-get install graphviz`).
"""

import html
import importlib
import os
import sys

INSTALL_PYDOT = 'pip install "npkeras[plots]"'
GRAPHVIZ_URL = "https://graphviz.gitlab.io/download/"
_PYDOT_MODULES = ("pydot", "pydot_ng", "pydotplus")  # pydot, then the older forks Keras also takes


def import_pydot():
    """The pydot module (or one of its older forks), or None where none is installed."""
    for name in _PYDOT_MODULES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def check_pydot():
    """Whether pydot can be imported."""
    return import_pydot() is not None


def check_graphviz():
    """Whether pydot and Graphviz's `dot` program both work: `dot` is asked to lay out an empty graph."""
    pydot = import_pydot()
    if pydot is None:
        return False
    failures = (OSError, AssertionError, getattr(pydot, "PydotException", OSError))
    try:
        pydot.Dot().create()
    except failures:
        return False
    return True


def pydot_missing_message(function):
    return f"`{function}` needs pydot, which is not installed: `{INSTALL_PYDOT}` (or `pip install pydot`)."


def graphviz_missing_message(function):
    return (
        f"`{function}` needs Graphviz's `dot` program, which was not found or does not run: install Graphviz "
        f"(`apt-get install graphviz`, `brew install graphviz`, `conda install graphviz`, or see {GRAPHVIZ_URL}), "
        f"and pydot with `{INSTALL_PYDOT}`."
    )


def require_graphviz(function):
    """The pydot module when pydot and Graphviz both work; otherwise, as Keras does, an ImportError, or inside
    IPython the message printed and None returned (so a notebook without Graphviz keeps running)."""
    pydot = import_pydot()
    message = None
    if pydot is None:
        message = pydot_missing_message(function)
    elif not check_graphviz():
        message = graphviz_missing_message(function)
    if message is None:
        return pydot
    if "IPython.core.magics.namespace" in sys.modules:
        print(message)
        return None
    raise ImportError(message)


def check_unknown_kwargs(kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("The argument `layer_range` is not supported (Keras 3 removed it); plot the whole model.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")


def _check_built(model):
    if not model.built:
        raise ValueError(
            f"The model {model.name!r} has not been built yet, so it has no layers to draw: build it first, with "
            "`model.build(input_shape)`, by calling it on a batch of data, or by starting it with an `Input`."
        )


def _nested_model_classes():
    from npkeras.models.functional import Functional
    from npkeras.models.sequential import Sequential

    return Functional, Sequential


# ---- labels -------------------------------------------------------------------------


def _activation_name(activation):
    for attribute in ("name", "__name__"):
        name = getattr(activation, attribute, None)
        if isinstance(name, str):
            return name
    return str(activation)


def _structure_text(values):
    """One value as it is, several as a list, as Keras prints a layer's input or output structure."""
    if values is None:
        return "?"
    return str(values[0] if len(values) == 1 else list(values))


def _white_cell(text):
    return f'<td bgcolor="white"><font point-size="14">{text}</font></td>'


def layer_label(layer, calls, show_layer_names, show_layer_activations, show_dtype, show_shapes, show_trainable):
    """The HTML-like table Keras draws for a layer: its name and class on black, then the activation, then a row
    of input and output shape, output dtype and trainable cells. `calls` is (input tensors, output tensors) of
    the layer's call in the drawn model, or None where it has none (shapes and dtype show "?")."""
    class_name = type(layer).__name__
    colspan = max(1, int(show_dtype) + int(show_trainable) + 2 * int(show_shapes))
    title = f"<b>{html.escape(layer.name)}</b> ({class_name})" if show_layer_names else f"<b>{class_name}</b>"
    rows = [f'<tr><td colspan="{colspan}" bgcolor="black"><font point-size="16" color="white">{title}</font></td></tr>']
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        name = html.escape(_activation_name(activation))
        rows.append(
            f'<tr><td bgcolor="white" colspan="{colspan}"><font point-size="14">'
            f"Activation: <b>{name}</b></font></td></tr>"
        )
    inputs, outputs = calls if calls is not None else (None, None)
    cells = []
    if show_shapes:
        input_shapes = None if inputs is None else [tuple(t.shape) for t in inputs]
        output_shapes = None if outputs is None else [tuple(t.shape) for t in outputs]
        if class_name != "InputLayer":
            cells.append(_white_cell(f"Input shape: <b>{html.escape(_structure_text(input_shapes))}</b>"))
        cells.append(_white_cell(f"Output shape: <b>{html.escape(_structure_text(output_shapes))}</b>"))
    if show_dtype:
        dtypes = None if outputs is None else [str(t.dtype) for t in outputs]
        cells.append(_white_cell(f"Output dtype: <b>{html.escape(_structure_text(dtypes))}</b>"))
    if show_trainable and layer.weights:
        if layer.trainable:
            cells.append('<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>')
        else:
            cells.append('<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>')
    if cells:
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">{"".join(rows)}</table>>'


def _make_node(pydot, layer, calls, label_options):
    node = pydot.Node(str(id(layer)), label=layer_label(layer, calls, **label_options))
    node.set("fontname", "Helvetica")
    node.set("border", "0")
    node.set("margin", "0")
    return node


def _add_edge(pydot, dot, source, destination):
    """One arrow from layer `source` to layer `destination`, however many tensors pass between them."""
    source_id, destination_id = str(id(source)), str(id(destination))
    if not dot.get_edge(source_id, destination_id):
        edge = pydot.Edge(source_id, destination_id)
        edge.set("penwidth", "2")
        dot.add_edge(edge)


# ---- the graph of a model -----------------------------------------------------------


def _node_of(tensor):
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def _graph_nodes(model, sequential):
    """The calls of `model`'s graph (symbolic Nodes), each layer's first one, in graph order: a functional model's
    own nodes, or a Sequential's stack called on its Input (the functional twin Keras keeps, made on first use).
    None where a Sequential's layers cannot be called symbolically."""
    if not sequential:
        return [_node_of(t) for t in model.inputs] + list(model._nodes)
    try:
        tensor = model.outputs[0]
    except (AttributeError, ValueError, TypeError):
        return None
    nodes = []
    while tensor._keras_history is not None:
        node = _node_of(tensor)
        nodes.append(node)
        if not node.input_tensors:
            break
        tensor = node.input_tensors[0]
    return nodes[::-1]


def _calls_by_layer(model, sequential):
    """id(layer) -> (input tensors, output tensors) of the layer's first call in `model`'s graph."""
    calls = {}
    for node in _graph_nodes(model, sequential) or []:
        calls.setdefault(id(node.layer), (node.input_tensors, node.output_tensors))
    return calls


def _connections(model, layers, sequential):
    """(source layer, destination layer, output index of the source, input index at the destination) for each
    tensor passed between two layers of `model`, in Keras's order: by destination layer, then by its calls."""
    if sequential:
        return [(a, b, 0, 0) for a, b in zip(layers, layers[1:])]
    in_graph = {id(node) for node in model._nodes}
    found = []
    for layer in layers:
        for node in layer._inbound_nodes:
            if id(node) not in in_graph:
                continue
            for input_index, tensor in enumerate(node.input_tensors):
                source, _, output_index = tensor._keras_history
                found.append((source, layer, output_index, input_index))
    return found


def _innermost_source(layer, output_index, model_classes):
    """The layer inside nested models that makes output `output_index` of `layer`."""
    functional, sequential = model_classes
    while isinstance(layer, model_classes):
        if isinstance(layer, sequential):
            layer, output_index = layer.layers[-1], 0
        else:
            layer, _, output_index = layer.outputs[output_index]._keras_history
    return layer


def _innermost_destination(layer, input_index, model_classes):
    """The layer inside nested models that receives input `input_index` of `layer`: a functional model's Input,
    a Sequential's first layer."""
    functional, sequential = model_classes
    while isinstance(layer, model_classes):
        if isinstance(layer, functional):
            layer = layer.inputs[input_index]._keras_history[0]
        else:
            layer = layer.layers[0]
    return layer


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    subgraph=False,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """The model as a `pydot.Dot` graph (a `pydot.Cluster` with `subgraph=True`), as Keras's `model_to_dot`.

    Each layer is one node (a layer called several times, a shared layer, is one node with several arrows); a
    Sequential's Input is not drawn, a functional model's Inputs are. A subclassed model is one node. With
    `expand_nested`, a functional or Sequential model used as a layer is drawn as a dashed cluster of its own
    layers, and arrows into and out of it reach the layers inside.

    Args:
        model: a built npkeras model.
        show_shapes: add each layer's input and output shapes.
        show_dtype: add each layer's output dtype.
        show_layer_names: title each box "name (Class)" rather than "Class".
        rankdir: Graphviz's direction, "TB" (top to bottom) or "LR" (left to right).
        expand_nested: draw nested models as clusters of their layers.
        dpi: the image's resolution in dots per inch.
        subgraph: return a `pydot.Cluster` (how nested models are drawn) rather than a `pydot.Dot`.
        show_layer_activations: add the activation of layers that have one.
        show_trainable: add whether each layer that has weights is trainable.
        splines: how Graphviz draws the arrows: "ortho" (right angles), "curved", "polyline", "spline", "line".
    """
    _check_built(model)
    pydot = import_pydot()
    if pydot is None:
        raise ImportError(pydot_missing_message("model_to_dot"))
    check_unknown_kwargs(kwargs)
    model_classes = _nested_model_classes()
    functional, sequential = model_classes

    if subgraph:
        dot = pydot.Cluster(graph_name=model.name, style="dashed")
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    label_options = {
        "show_layer_names": show_layer_names,
        "show_layer_activations": show_layer_activations,
        "show_dtype": show_dtype,
        "show_shapes": show_shapes,
        "show_trainable": show_trainable,
    }

    is_sequential = isinstance(model, sequential)
    if not is_sequential and not isinstance(model, functional):  # a subclassed model: one box
        dot.add_node(_make_node(pydot, model, None, label_options))
        return dot
    layers = model.layers if is_sequential else model.operations
    calls = _calls_by_layer(model, is_sequential) if show_shapes or show_dtype else {}

    for layer in layers:
        if expand_nested and isinstance(layer, model_classes):
            dot.add_subgraph(
                model_to_dot(
                    layer,
                    show_shapes=show_shapes,
                    show_dtype=show_dtype,
                    show_layer_names=show_layer_names,
                    rankdir=rankdir,
                    expand_nested=expand_nested,
                    subgraph=True,
                    show_layer_activations=show_layer_activations,
                    show_trainable=show_trainable,
                )
            )
        else:
            dot.add_node(_make_node(pydot, layer, calls.get(id(layer)), label_options))

    for source, destination, output_index, input_index in _connections(model, layers, is_sequential):
        if expand_nested:
            source = _innermost_source(source, output_index, model_classes)
            destination = _innermost_destination(destination, input_index, model_classes)
        _add_edge(pydot, dot, source, destination)
    return dot


# ---- writing ------------------------------------------------------------------------


def write_dot(dot, to_file, function):
    """Render `dot` in the format its file name ends with (png when it has none) and write it whole: into a
    temporary file beside `to_file`, renamed onto it once complete. Returns the file's format."""
    from npkeras.saving.atomic import atomic_write

    pydot = import_pydot()
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    failures = (AssertionError, getattr(pydot, "PydotException", AssertionError))
    try:
        data = dot.create(format=extension)  # "dot": Graphviz's laid-out dot text, as Keras writes it
    except failures as e:
        raise ValueError(
            f"`{function}` could not write {to_file!r}: Graphviz cannot render the format {extension!r} (taken "
            f"from the file name; use .png, .svg, .pdf or .dot). Graphviz said: {e}"
        ) from e
    with atomic_write(to_file) as f:
        f.write(data)
    return extension


def display_image(to_file, extension):
    """Inside IPython (a notebook), the written file as an object Jupyter shows inline, as Keras returns one;
    elsewhere, or for a format a notebook cannot show, None."""
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == "svg":
        return display.SVG(filename=to_file)
    if extension in ("png", "jpg", "jpeg", "gif", "webp"):
        return display.Image(filename=to_file)
    return None


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """Draw the model (see `model_to_dot`) into `to_file`, in the format its extension names: png (also when it
    has none), svg, pdf, dot, or any other format Graphviz writes. The file is complete or not there: it is
    written to a temporary name in the same folder and renamed.

    As in Keras 3, layer names are off by default here (`show_layer_names=False`, boxes titled by class) and on
    in `model_to_dot`. Inside IPython it returns the image for the notebook to show.

    Raises ImportError, naming what to install, where pydot or Graphviz's `dot` is missing (inside IPython it
    prints that and returns None, as Keras does).

    Example:

    ```python
    npkeras.utils.plot_model(model, to_file="model.png", show_shapes=True)
    ```
    """
    _check_built(model)
    if require_graphviz("plot_model") is None:
        return None
    check_unknown_kwargs(kwargs)
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
        splines=splines,
    )
    to_file = os.fspath(to_file)
    extension = write_dot(dot, to_file, "plot_model")
    return display_image(to_file, extension)
