"""model.summary(): Keras 3's table of layers, output shapes and parameter counts."""

import shutil
import textwrap

DEFAULT_LINE_LENGTH = 88
POSITIONS = (0.45, 0.80, 1.0)


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


def _rows(model):
    shapes = model.layer_output_shapes() if hasattr(model, "layer_output_shapes") else []
    rows = []
    for i, layer in enumerate(model.layers):
        shape = _shape_text(shapes[i]) if i < len(shapes) else "?"
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        rows.append((f"{layer.name} ({type(layer).__name__})", shape, params))
    return rows


def _column_widths(line_length):
    """Content widths of the three columns, as rich lays out Keras's table."""
    edges = [int(p * line_length) for p in POSITIONS]
    return [edges[0] - 3, edges[1] - edges[0] - 4, line_length - edges[1] - 3]


def format_summary(model, line_length=None):
    if line_length is None:
        line_length = min(DEFAULT_LINE_LENGTH, shutil.get_terminal_size().columns - 4)
    widths = _column_widths(line_length)
    rows = _rows(model)
    right = (False, False, True)

    def rule(left, fill, mid, end):
        return left + mid.join(fill * (w + 2) for w in widths) + end

    def cells(values, bar):
        """One table row; text longer than its column wraps onto more lines, as rich does."""
        wrapped = [textwrap.wrap(v, w, break_on_hyphens=False) or [""] for v, w in zip(values, widths)]
        lines = []
        for k in range(max(len(c) for c in wrapped)):
            parts = [c[k] if k < len(c) else "" for c in wrapped]
            text = [p.rjust(w) if r else p.ljust(w) for p, w, r in zip(parts, widths, right)]
            lines.append(bar + bar.join(f" {t} " for t in text) + bar)
        return "\n".join(lines)

    lines = [
        f'Model: "{model.name}"',
        rule("┏", "━", "┳", "┓"),
        cells(("Layer (type)", "Output Shape", "Param #"), "┃"),
        rule("┡", "━", "╇", "┩"),
    ]
    for j, row in enumerate(rows):
        lines.append(cells(row, "│"))
        if j < len(rows) - 1:
            lines.append(rule("├", "─", "┼", "┤"))
    lines.append(rule("└", "─", "┴", "┘"))
    trainable, t_bytes = _count(model.trainable_weights)
    frozen, f_bytes = _count(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    opt_count, opt_bytes = (
        _count(optimizer.variables) if optimizer is not None and optimizer._variables is not None else (0, 0)
    )
    lines.append(
        f" Total params: {trainable + frozen + opt_count:,} ({readable_memory_size(t_bytes + f_bytes + opt_bytes)})"
    )
    lines.append(f" Trainable params: {trainable:,} ({readable_memory_size(t_bytes)})")
    lines.append(f" Non-trainable params: {frozen:,} ({readable_memory_size(f_bytes)})")
    if optimizer is not None and optimizer._variables is not None:
        lines.append(f" Optimizer params: {opt_count:,} ({readable_memory_size(opt_bytes)})")
    return "\n".join(lines) + "\n"


def print_summary(model, line_length=None, print_fn=None):
    """Print the summary, or pass it to `print_fn` as one string (as Keras does)."""
    text = format_summary(model, line_length)
    if print_fn is None:
        print(text, end="")
    else:
        print_fn(text)
