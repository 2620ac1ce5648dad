"""clone_model: a model of the same structure with new layers (fresh weights), as Keras's `keras.models.clone_model`."""

from npkeras.layers.input_layer import InputLayer
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.symbolic import flatten, map_structure
from npkeras.models.functional import Functional
from npkeras.models.sequential import Sequential


def _clone_layer(layer):
    return type(layer).from_config(layer.get_config())


def _clone_input_layer(layer):
    return InputLayer(batch_shape=layer.batch_shape, dtype=layer.dtype, name=layer.name, sparse=layer.sparse)


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    """A new Sequential or functional model with the same layers' configs and graph, and freshly initialised weights.

    `clone_function(layer)` makes each new layer (default: from its config); `call_function(layer, *args,
    **kwargs)` calls it in a functional graph; `recursive=True` clones nested Sequential and functional models
    through the same functions; `input_tensors` are the Inputs the clone starts from. A subclassed model is
    rebuilt from its config, with none of these arguments.
    """
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s) for clone_model: {sorted(kwargs)}")
    clone_function = clone_function or _clone_layer
    if recursive:
        given = clone_function

        def clone_function(layer):
            if isinstance(layer, (Sequential, Functional)):
                return clone_model(layer, clone_function=given, call_function=call_function, recursive=True)
            return given(layer)

    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_function)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_function, call_function)
    if input_tensors is not None or clone_function is not _clone_layer or call_function is not None:
        raise ValueError(
            "Arguments `clone_function`, `call_function` and `input_tensors` are only supported for Sequential "
            f"and functional models. Received model={model.name!r} of type {type(model).__name__}, a subclassed model."
        )
    return type(model).from_config(model.get_config())


def _clone_sequential(model, input_tensors, clone_function):
    layers = [clone_function(layer) for layer in model.layers]
    if input_tensors is not None:
        inputs = flatten(input_tensors)
        if len(inputs) != 1 or not isinstance(inputs[0], KerasTensor):
            raise ValueError(
                f"A Sequential model takes one input tensor; received input_tensors={input_tensors!r:.200}"
            )
        layers = [inputs[0]._keras_history[0], *layers]
    elif model._input_layer is not None:
        layers = [_clone_input_layer(model._input_layer), *layers]
    return Sequential(layers, trainable=model.trainable, name=model.name)


def _clone_functional(model, input_tensors, clone_function, call_function):
    old_inputs = model.inputs
    if input_tensors is None:
        new_inputs = [_clone_input_layer(t._keras_history[0]).output for t in old_inputs]
    else:
        new_inputs = flatten(input_tensors)
        if len(new_inputs) != len(old_inputs) or not all(isinstance(t, KerasTensor) for t in new_inputs):
            raise ValueError(
                f"input_tensors must be {len(old_inputs)} KerasTensor(s) (npkeras.Input), one per model input. "
                f"Received: {input_tensors!r:.200}"
            )
    made = {id(old): new for old, new in zip(old_inputs, new_inputs)}
    clones = {}  # id(old layer) -> new layer: a shared layer stays shared in the clone
    for node in model._nodes:
        layer = node.layer
        if isinstance(layer, InputLayer):
            continue
        if id(layer) not in clones:
            clones[id(layer)] = clone_function(layer)
        new_layer = clones[id(layer)]
        args, kwargs = map_structure(
            lambda v: made[id(v)] if isinstance(v, KerasTensor) else v, (node.args, node.kwargs)
        )
        outputs = call_function(new_layer, *args, **kwargs) if call_function else new_layer(*args, **kwargs)
        for old, new in zip(node.output_tensors, flatten(outputs)):
            made[id(old)] = new

    inputs, outputs = map_structure(lambda t: made[id(t)], (model._inputs_struct, model._outputs_struct))
    return Functional(inputs, outputs, name=model.name, trainable=model.trainable)
