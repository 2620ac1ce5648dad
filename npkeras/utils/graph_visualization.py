"""plot_graph and graph_to_dot: the autograd graph that computed a Tensor, drawn as DeZero draws it (beyond
Keras), to see what backpropagation walks through.

Each op (a Function) is a box labelled with its class name; each tensor is an ellipse with its shape and dtype
and, for a Variable (a model weight), its path. Arrows run input -> op -> output. The graph exists only where
operations were recorded: inside `with npkeras.GradientTape():`, `fit()` or `npkeras.autograd.enable_grad()`,
or on a tensor that asked for gradients (`Tensor(x, requires_grad=True)`, `tape.watch(x)`). Backpropagation
frees it, so draw it before `tape.gradient` / `backward()` (or keep it with a persistent tape or
`retain_graph=True`).
"""

import html
import os

from npkeras.autograd.tensor import Tensor
from npkeras.autograd.variable import Variable
from npkeras.utils.model_visualization import (
    display_image,
    import_pydot,
    pydot_missing_message,
    require_graphviz,
    write_dot,
)

# fill colour of each kind of node (also its Graphviz `class`, which SVG output keeps)
COLORS = {
    "op": "lightblue",
    "parameter": "palegreen",  # a trainable Variable: what the gradients are for
    "variable": "lightgray",  # a non-trainable Variable
    "input": "lightyellow",  # another leaf that asked for gradients (watched)
    "constant": "white",  # a leaf without gradient (data, labels)
    "intermediate": "orange",
    "output": "gold",  # the tensor(s) drawn from
}

_RECORDING = (
    "npkeras records operations inside `with npkeras.GradientTape():`, `fit()` or "
    "`npkeras.autograd.enable_grad()`, and on tensors that ask for gradients (`npkeras.Tensor(x, "
    "requires_grad=True)`, `tape.watch(x)`); outside them, and always inside `no_grad()` (predict, evaluate), "
    "results are plain values. Compute the tensor inside a GradientTape, then draw it."
)
_FREED = (
    "The autograd graph of this tensor was freed by backpropagation (`tape.gradient` or `backward()` ran through "
    "the op {op}): draw it before computing gradients, or keep the graph with `GradientTape(persistent=True)` or "
    "`backward(retain_graph=True)`."
)


def _roots(tensor):
    roots = list(tensor) if isinstance(tensor, (list, tuple)) else [tensor]
    if not roots:
        raise ValueError("There is no tensor to draw the autograd graph of: the list is empty.")
    for t in roots:
        if not isinstance(t, Tensor):
            raise TypeError(
                "Only an npkeras Tensor computed by recorded operations has an autograd graph to draw; received "
                f"{type(t).__module__}.{type(t).__name__}. {_RECORDING}"
            )
        if t.creator is not None:
            continue
        if isinstance(t, Variable) or t.requires_grad:
            what = f"The Variable {t.path!r}" if isinstance(t, Variable) else f"This tensor of shape {t.shape}"
            raise ValueError(
                f"{what} is a leaf of the autograd graph (no op made it): draw a result computed from it, such "
                "as the loss, inside a GradientTape."
            )
        raise ValueError(
            f"This tensor of shape {t.shape} has no autograd graph to draw: no op that made it was recorded. "
            + _RECORDING
        )
    return roots


def walk_graph(tensor):
    """(tensors, functions, edges) of the recorded graph behind `tensor` (a Tensor or a list of them):
    the tensors and Functions reached from it, outputs first, and (source, destination) pairs of those objects,
    input -> op and op -> output, one per argument (an op given one tensor twice has two arrows from it)."""
    roots = _roots(tensor)
    tensors, functions, edges = {}, {}, []
    stack = list(reversed(roots))
    while stack:
        t = stack.pop()
        if id(t) in tensors:
            continue
        tensors[id(t)] = t
        fn = t.creator
        if fn is None:
            continue
        edges.append((fn, t))
        if id(fn) in functions:
            continue
        if fn.inputs is None:
            raise RuntimeError(_FREED.format(op=type(fn).__name__))
        functions[id(fn)] = fn
        edges.extend((x, fn) for x in fn.inputs)
        stack.extend(reversed(fn.inputs))
    return list(tensors.values()), list(functions.values()), edges


def _kind(t, root_ids):
    if id(t) in root_ids:
        return "output"
    if t.creator is not None:
        return "intermediate"
    if isinstance(t, Variable):
        return "parameter" if t.trainable else "variable"
    return "input" if t.requires_grad else "constant"


def _tensor_label(t, show_shapes):
    lines = [f"<b>{html.escape(t.path)}</b>"] if isinstance(t, Variable) else []
    if show_shapes:
        lines.append(html.escape(f"{tuple(t.shape)} {t.dtype}"))
    return f"<{'<br/>'.join(lines)}>" if lines else '""'


def graph_to_dot(tensor, show_shapes=True, rankdir="TB", dpi=200):
    """The autograd graph behind `tensor` (a Tensor or a list of Tensors) as a `pydot.Dot`.

    Ops are boxes named by their Function class (MatMul, Add, Relu, ...); tensors are ellipses showing shape and
    dtype (with `show_shapes`) and, for a Variable, its path. Colours tell the kinds apart: trainable parameters
    green with a double border, other leaves that ask for gradients yellow, constant leaves white, intermediate
    results orange, the tensors drawn from gold (`COLORS`; each node's Graphviz `class` names its kind).

    Raises TypeError for what is not a Tensor (a NumPy array), ValueError for a Tensor no recorded op made, and
    RuntimeError where backpropagation has already freed the graph.
    """
    roots = _roots(tensor)
    pydot = import_pydot()
    if pydot is None:
        raise ImportError(pydot_missing_message("graph_to_dot"))
    tensors, functions, edges = walk_graph(roots)
    root_ids = {id(t) for t in roots}
    dot = pydot.Dot(graph_type="digraph")
    dot.set("rankdir", rankdir)
    dot.set("dpi", dpi)
    dot.set_node_defaults(fontname="Helvetica", style="filled")
    for t in tensors:
        kind = _kind(t, root_ids)
        node = pydot.Node(f"t{id(t)}", label=_tensor_label(t, show_shapes), shape="ellipse")
        node.set("fillcolor", COLORS[kind])
        node.set("class", kind)
        if kind == "parameter":
            node.set("peripheries", 2)
        dot.add_node(node)
    for fn in functions:
        node = pydot.Node(f"f{id(fn)}", label=html.escape(type(fn).__name__), shape="box")
        node.set("fillcolor", COLORS["op"])
        node.set("class", "op")
        dot.add_node(node)
    for source, destination in edges:
        source_id = f"f{id(source)}" if not isinstance(source, Tensor) else f"t{id(source)}"
        destination_id = f"f{id(destination)}" if not isinstance(destination, Tensor) else f"t{id(destination)}"
        edge = pydot.Edge(source_id, destination_id)
        if isinstance(destination, Tensor) and source.num_outputs > 1:
            edge.set("label", str(destination.index))  # which output of a several-output op
        dot.add_edge(edge)
    return dot


def plot_graph(tensor, to_file="graph.png", show_shapes=True, rankdir="TB", dpi=200):
    """Draw the autograd graph behind `tensor` (see `graph_to_dot`) into `to_file`, in the format its extension
    names (png when it has none, svg, pdf, dot); written to a temporary name beside it and renamed.

    Example, the graph backpropagation walks for one Dense layer and a mean-squared loss:

    ```python
    with npkeras.GradientTape() as tape:
        loss = npkeras.ops.mean(npkeras.ops.square(model(x) - y))
        npkeras.utils.plot_graph(loss, to_file="loss_graph.png")
    grads = tape.gradient(loss, model.trainable_weights)
    ```

    Raises ImportError, naming what to install, where pydot or Graphviz's `dot` is missing (inside IPython it
    prints that and returns None); inside IPython it returns the image for the notebook to show.
    """
    roots = _roots(tensor)
    if require_graphviz("plot_graph") is None:
        return None
    dot = graph_to_dot(roots, show_shapes=show_shapes, rankdir=rankdir, dpi=dpi)
    to_file = os.fspath(to_file)
    extension = write_dot(dot, to_file, "plot_graph")
    return display_image(to_file, extension)
