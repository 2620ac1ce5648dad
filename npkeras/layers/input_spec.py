"""What a layer accepts, checked with Keras's messages (which name the layer): input ranks and
axis sizes, data formats and paddings; and moving channels_first data to the channels_last
layout the ops compute in, and back."""

from npkeras.ops import shaping


def check_data_format(layer, data_format):
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(
            f'Layer "{layer.name}": `data_format` must be "channels_last" or "channels_first". '
            f"Received data_format={data_format!r}"
        )
    return data_format or "channels_last"


def check_padding(layer, padding, allowed):
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in allowed:
        options = " or ".join(f'"{p}"' for p in allowed)
        raise ValueError(f'Layer "{layer.name}": `padding` must be {options}. Received padding={padding!r}')
    return value


def check_input_rank(layer, inputs, rank):
    if inputs.ndim != rank:
        raise ValueError(
            f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected ndim={rank}, '
            f"found ndim={inputs.ndim}. Full shape received: {tuple(inputs.shape)}"
        )


def check_input_axis(layer, inputs, axis, expected):
    if inputs.shape[axis] != expected:
        raise ValueError(
            f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected axis {axis} of input '
            f"shape to have value {expected}, but received input with shape {tuple(inputs.shape)}"
        )


def to_channels_last(inputs, data_format):
    """A channels_first batch moved to channels_last (the layout the ops compute in)."""
    if data_format == "channels_last":
        return inputs
    return shaping.transpose(inputs, (0, *range(2, inputs.ndim), 1))


def to_data_format(outputs, data_format):
    if data_format == "channels_last":
        return outputs
    return shaping.transpose(outputs, (0, outputs.ndim - 1, *range(1, outputs.ndim - 1)))
