"""model.summary(): Keras 3's table of layers, output shapes and parameter counts."""

import shutil
import textwrap

from npkeras.layers.layer import Layer

DEFAULT_LINE_LENGTH = 88
POSITIONS = (0.45, 0.80, 1.0)
GRAPH_LINE_LENGTH = 108  # with Keras's "Connected to" column
GRAPH_POSITIONS = (0.3, 0.56, 0.74, 1.0)


def readable_memory_size(n_bytes):
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    size, i = float(n_bytes), 0
    while size / 1024 >= 1 and i < len(units) - 1:
        size /= 1024
        i += 1
    return f"{size:.2f} {units[i]}"


def _count(weights):
    return sum(w.size for w in weights), sum(w.data.nbytes for w in weights)


def _shape_text(shape):
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _graph_like(model):
    """Whether summary() shows Keras's "Connected to" column: a functional model that is not a plain chain."""
    return hasattr(model, "connections") and not model.is_sequential_like()


def _shapes_text(shape):
    if isinstance(shape, list):  # a layer's several outputs, in brackets as Keras prints their list
        return "[" + ", ".join(_shape_text(s) for s in shape) + "]"
    return _shape_text(shape)


def _built_output_shape(layer):
    """The output shape of a layer called outside any graph (in a subclassed model), from the input shape it was
    built for, where its class computes output shapes, as Keras's summary finds it; else None ("?")."""
    if layer._build_shapes is None or type(layer).compute_output_shape is Layer.compute_output_shape:
        return None
    return layer.compute_output_shape(layer._build_shapes)


def _rows(model, show_trainable, expand_nested, depth=0):
    if hasattr(model, "layer_output_shapes"):
        shapes = model.layer_output_shapes()
    else:
        shapes = [_built_output_shape(layer) for layer in model.layers]
    connections = model.connections() if _graph_like(model) else None
    rows = []
    for i, layer in enumerate(getattr(model, "operations", model.layers)):  # keras.ops calls too
        shape = _shapes_text(shapes[i]) if i < len(shapes) and shapes[i] is not None else "?"
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        row = [" " * depth + f"{layer.name} ({type(layer).__name__})", shape, params]
        if connections is not None:
            row.append(connections[i])
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        rows.append((layer.name, row))
        if expand_nested and hasattr(layer, "layer_output_shapes"):  # a model used as a layer
            rows.extend(_rows(layer, show_trainable, expand_nested, depth + 1))
    return rows


def _select(rows, layer_range):
    """Rows from the layer named layer_range[0] to the one named layer_range[1], inclusive."""
    if layer_range is None:
        return [row for _, row in rows]
    names = [name for name, _ in rows]
    if len(layer_range) != 2 or any(n not in names for n in layer_range):
        raise ValueError(
            f"`layer_range` must name two layers of the model; received {layer_range}, layers are {names}."
        )
    start, end = names.index(layer_range[0]), names.index(layer_range[1])
    return [row for _, row in rows[start : end + 1]]


def _column_widths(line_length, positions):
    """Content widths of the columns, as rich lays out Keras's table: each column asks for its share of the line
    plus 1 padding a side, and the borders and padding that overflow the line come off the columns in equal
    parts (rounded as Python rounds, each part capped at what is left)."""
    edges = [int(p * line_length) for p in positions]
    cells = [w + 2 for w in [edges[0]] + [b - a for a, b in zip(edges, edges[1:])]]
    excess = sum(cells) + len(cells) + 1 - line_length
    widths, columns_left = [], len(cells)
    for cell in cells:
        cut = min(cell, round(excess / columns_left))
        widths.append(cell - cut - 2)
        excess, columns_left = excess - cut, columns_left - 1
    return widths


def _wrap(text, width):
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False) or [""]


def _fit(line, width):
    return line if len(line) <= width else line[: width - 1] + "…"


def _justified(text, width, how):
    if how == "right":
        return text.rjust(width)
    return text.center(width) if how == "center" else text.ljust(width)


def format_summary(
    model, line_length=None, positions=None, show_trainable=False, layer_range=None, expand_nested=False
):
    graph = _graph_like(model)
    if line_length is None:
        default = (GRAPH_LINE_LENGTH if graph else DEFAULT_LINE_LENGTH) + (12 if show_trainable else 0)
        line_length = min(default, shutil.get_terminal_size().columns - 4)
    if positions is None:
        base = GRAPH_POSITIONS if graph else POSITIONS
        positions = base if not show_trainable else tuple(p * 0.9 for p in base) + (1.0,)
    if any(p > 1 for p in positions):  # Keras also takes absolute character positions
        positions = [p / line_length for p in positions]
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if graph else [])
    headers += ["Trainable"] if show_trainable else []
    if len(positions) != len(headers):
        raise ValueError(f"`positions` needs {len(headers)} entries, one per column; received {list(positions)}.")
    widths = _column_widths(line_length, positions)
    rows = _select(_rows(model, show_trainable, expand_nested), layer_range)
    justify = ("left", "left", "right") + (("left",) if graph else ()) + ("center",)

    def rule(left, fill, mid, end):
        return left + mid.join(fill * (w + 2) for w in widths) + end

    def cells(values, bar):
        """One table row, as rich writes it: text wraps at spaces onto more lines, and a word longer than its
        column is cut with an ellipsis."""
        wrapped = [[_fit(line, w) for line in _wrap(v, w)] for v, w in zip(values, widths)]
        lines = []
        for k in range(max(len(c) for c in wrapped)):
            parts = [c[k] if k < len(c) else "" for c in wrapped]
            text = [_justified(p, w, how) for p, w, how in zip(parts, widths, justify)]
            lines.append(bar + bar.join(f" {t} " for t in text) + bar)
        return "\n".join(lines)

    lines = [f'Model: "{model.name}"', rule("┏", "━", "┳", "┓"), cells(headers, "┃"), rule("┡", "━", "╇", "┩")]
    for j, row in enumerate(rows):
        lines.append(cells(row, "│"))
        if j < len(rows) - 1:
            lines.append(rule("├", "─", "┼", "┤"))
    lines.append(rule("└", "─", "┴", "┘"))
    trainable, t_bytes = _count(model.trainable_weights)
    frozen, f_bytes = _count(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    built = optimizer is not None and optimizer._variables is not None
    opt_count, opt_bytes = _count(optimizer.variables) if built else (0, 0)
    total_bytes = readable_memory_size(t_bytes + f_bytes + opt_bytes)
    lines.append(f" Total params: {trainable + frozen + opt_count:,} ({total_bytes})")
    lines.append(f" Trainable params: {trainable:,} ({readable_memory_size(t_bytes)})")
    lines.append(f" Non-trainable params: {frozen:,} ({readable_memory_size(f_bytes)})")
    if built:
        lines.append(f" Optimizer params: {opt_count:,} ({readable_memory_size(opt_bytes)})")
    return "\n".join(lines) + "\n"


def print_summary(model, print_fn=None, **options):
    """Print the summary, or pass it to `print_fn` as one string (as Keras does)."""
    text = format_summary(model, **options)
    if print_fn is None:
        print(text, end="")
    else:
        print_fn(text)
