"""save_model / load_model / save_weights / load_weights: whole models and their weights, in Keras 3's files."""

import os
import warnings

import numpy as np

from npkeras.backend import random
from npkeras.layers.layer import Layer
from npkeras.layers.weight_budget import weight_budget
from npkeras.saving import archive, layer_assets, object_tree
from npkeras.saving.atomic import atomic_write, check_overwrite
from npkeras.saving.errors import ModelFileError
from npkeras.saving.object_serialization import serialize_keras_object
from npkeras.saving.registration import custom_object_scope, custom_table, get_registered_name, safe_mode_scope
from npkeras.saving.weight_files import (
    WeightGroups,
    from_h5_bytes,
    from_npz_bytes,
    ordered_indices,
    to_h5_bytes,
    to_npz_bytes,
    valid_entry_name,
)

# Weights a config may create beyond twice what the file holds (it must hold them all, so this is slack).
BUDGET_SLACK_BYTES = 16 << 20
# The values one sample of a model's input may have (2**28: 1 GiB of float32) when built from a file.
MAX_INPUT_VALUES = 1 << 28

# What deserializing a hostile config can raise; each becomes a ModelFileError naming the file.
_CONFIG_ERRORS = (
    ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError, RecursionError, MemoryError,
)  # fmt: skip


# ---- whole models -------------------------------------------------------------------------
def save_model(model, filepath, overwrite=True, weights_format=None, include_optimizer=True):
    """Write `model` as a .keras archive: its config, compile config, weights, optimizer state and the
    random state of shuffling and dropout (so training resumes exactly).

    weights_format: "h5" (readable by Keras; needs h5py) or "npz" (NumPy only); by default h5 when
    h5py is installed, else npz."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving. Please add a `.keras` extension for the Keras format "
            "(npkeras does not write the legacy whole-model `.h5` format; for weights alone use "
            f"save_weights('*.weights.h5' or '*.weights.npz')). Received: filepath={filepath}"
        )
    if weights_format is None:
        from npkeras.saving.weight_files import h5_available

        weights_format = "h5" if h5_available() else "npz"
    if weights_format not in archive.WEIGHTS:
        raise ValueError(f"Unknown `weights_format`: {weights_format!r}. Use 'h5' or 'npz'.")
    check_overwrite(filepath, overwrite)
    groups = weight_groups(model, include_optimizer)
    assets = layer_assets.collect_assets(model)
    archive.write_archive(
        filepath, serialize_model(model), groups, weights_format, {"npkeras": _random_states(model)}, assets
    )


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """A model from a .keras archive (saved by npkeras or by Keras 3), compiled as it was saved.

    Nothing in the file is executed: classes are looked up among npkeras's own, the registered ones
    and `custom_objects`. The model's own shuffling and dropout stream saved with it is restored, so
    training resumes where it stopped; the caller's global random state does not move."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        if filepath.endswith((".h5", ".hdf5")):
            raise ValueError(
                f"{filepath} is a legacy HDF5 model file; npkeras reads the Keras 3 format (`.keras`). "
                "To read weights alone into a model, use model.load_weights()."
            )
        raise ValueError(f"File format not supported: filepath={filepath}. npkeras loads `.keras` files.")
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"No model file found at {filepath}.")
    config, metadata, groups = archive.read_archive(filepath)
    source = f"The model file {filepath!r}"
    before = random.get_state()  # building draws initial weights; the user's random state must not move
    try:
        saved_bytes = sum(a.nbytes for path, entries in groups.items() if path != "optimizer" for a in entries.values())
        budget = weight_budget(2 * saved_bytes + BUDGET_SLACK_BYTES, source)
        with custom_object_scope(custom_objects), safe_mode_scope(safe_mode), budget:
            model = build_model(config, source, compile=compile)
        assign_weight_groups(model, groups, source, include_optimizer=compile)
        layer_assets.restore_assets(model, filepath, source)
        npkeras_state = metadata.get("npkeras")
        if isinstance(npkeras_state, dict):
            _restore_random_states(model, npkeras_state, source)
    finally:
        random.set_state(before)
    return model


def serialize_model(model):
    """The model's config.json: Keras's {"module", "class_name", "config", "registered_name",
    "build_config", "compile_config"}."""
    registered = get_registered_name(type(model))
    custom = ">" in registered
    keras_module = "keras.src.models.functional" if type(model).__name__ == "Functional" else "keras"
    return {
        "module": type(model).__module__ if custom else keras_module,
        "class_name": type(model).__name__,
        "config": model.get_config(),
        "registered_name": registered if custom else None,
        "build_config": serialize_keras_object(model.get_build_config()),
        "compile_config": serialize_keras_object(model.get_compile_config()),
    }


def build_model(config, source, compile=True):
    """deserialize_model, with whatever a hostile config makes it raise turned into a ModelFileError."""
    try:
        return deserialize_model(config, compile=compile)
    except ModelFileError:
        raise
    except _CONFIG_ERRORS as e:
        raise ModelFileError(f"{source} holds a config npkeras cannot build: {type(e).__name__}: {e}") from e


def deserialize_model(config, compile=True):
    """A model (built, and compiled when the config says how) from serialize_model's dict."""
    from npkeras.layers.serialization import is_keras_module
    from npkeras.models.functional import Functional
    from npkeras.models.sequential import Sequential

    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ModelFileError(f"A model config must be a dict with a 'class_name'. Received: {config!r:.200}")
    name, registered = config["class_name"], config.get("registered_name")
    custom = custom_table()
    cls = custom.get(registered) if isinstance(registered, str) else None
    cls = cls or custom.get(name)
    if cls is None and is_keras_module(config.get("module")):
        cls = {"Sequential": Sequential, "Functional": Functional}.get(name)
    if cls is None:
        raise ModelFileError(
            f"Could not locate model class '{name}' (module {config.get('module')!r}). npkeras loads Sequential "
            "and functional models; a subclassed model must be registered with "
            "`@npkeras.saving.register_keras_serializable()` or passed as `custom_objects`."
        )
    inner = config.get("config", {})
    for layer_config in inner.get("layers", []) if isinstance(inner, dict) else []:
        if isinstance(layer_config, dict) and layer_config.get("class_name") == "InputLayer":
            shape = (layer_config.get("config") or {}).get("batch_shape")
            if isinstance(shape, list):
                _check_input_size(shape)
    model = cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
    build_config = config.get("build_config")
    if not model.built and isinstance(build_config, dict) and build_config:
        if build_config.get("input_shape") is not None:
            _check_input_size(tuple(build_config["input_shape"]))
            model.build_from_config(build_config)
        elif type(model).build_from_config is not Layer.build_from_config:  # a model that rebuilds its own way
            model.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile and isinstance(compile_config, dict):
        model.compile_from_config(compile_config)
    return model


def _check_input_size(batch_shape):
    values = 1
    for d in list(batch_shape)[1:]:
        if d is not None and not isinstance(d, int):
            raise ValueError(f"An input shape holds {d!r}; dimensions must be integers or null.")
        values *= d or 1
    if values > MAX_INPUT_VALUES:
        raise ValueError(
            f"The config declares an input of shape {list(batch_shape)}: {values:,} values per sample, more than "
            f"the {MAX_INPUT_VALUES:,} npkeras builds from a file."
        )


# ---- weights ------------------------------------------------------------------------------
def save_weights(model, filepath, overwrite=True):
    """The model's (and its optimizer's) variables alone, to `*.weights.h5` or `*.weights.npz`."""
    filepath = os.fspath(filepath)
    fmt = _weights_file_format(filepath)
    check_overwrite(filepath, overwrite)
    groups = weight_groups(model, include_optimizer=True)
    data = to_h5_bytes(groups) if fmt == "h5" else to_npz_bytes(groups)
    with atomic_write(filepath) as f:
        f.write(data)


def load_weights(model, filepath, skip_mismatch=False):
    """Set the model's variables from a `.keras`, `.weights.h5` or `.weights.npz` file.

    Every array is checked against its variable before any is assigned, so a bad file changes nothing."""
    filepath = os.fspath(filepath)
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"No weights file found at {filepath}.")
    source = f"The weights file {filepath!r}"
    if filepath.endswith(".keras"):
        _, _, groups = archive.read_archive(filepath)
    else:
        fmt = _weights_file_format(filepath)
        with open(filepath, "rb") as f:
            data = f.read()
        groups = from_h5_bytes(data, source) if fmt == "h5" else from_npz_bytes(data, source)
    if not model.built:
        raise ValueError(
            f"Model {model.name!r} has not been built, so it has no weights to load into: call build() or the "
            "model on data first (or give it an Input)."
        )
    assign_weight_groups(model, groups, source, include_optimizer=True, skip_mismatch=skip_mismatch)


def _weights_file_format(filepath):
    if filepath.endswith(".weights.h5"):
        return "h5"
    if filepath.endswith(".weights.npz"):
        return "npz"
    raise ValueError(
        "The filename must end in `.weights.h5` (or `.weights.npz`, npkeras's NumPy-only format). "
        f"Received: filepath={filepath}"
    )


def weight_groups(model, include_optimizer=True):
    """Each object's entries, as its save_own_variables writes them (the optimizer: its variables), by path."""
    groups = WeightGroups()
    for path, layer in object_tree.layers_by_path(model):
        store = {}
        layer.save_own_variables(store)
        for key in store:
            if not valid_entry_name(key):
                raise ValueError(
                    f"Layer '{layer.name}' wrote an entry named {key!r} in save_own_variables: entry names are "
                    "strings of 1 to 200 characters without '/' or control characters."
                )
        groups[path] = {key: np.asarray(value) for key, value in store.items()}
        groups.names[path] = layer.name
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None:
        groups["optimizer"] = {str(i): np.asarray(v.data) for i, v in enumerate(optimizer.variables)}
        groups.names["optimizer"] = optimizer.name
    return groups


def assign_weight_groups(model, groups, source, include_optimizer=True, skip_mismatch=False):
    """Check every saved array against the model's variables, then assign them all (or none); then give each
    layer with its own load_own_variables its entries (what that code does with them is its own)."""
    plan, own_loaders = [], []
    layers = object_tree.layers_by_path(model)
    _check_all_used(groups, {path for path, _ in layers}, source, skip_mismatch)
    for path, layer in layers:
        entries = groups.get(path, {})
        if type(layer).load_own_variables is not Layer.load_own_variables:
            own_loaders.append((path, layer, entries))
            continue
        name, variables = layer.name, layer._own_variables()
        arrays = [entries[key] for key in ordered_indices(entries, f"{path}/vars" if path else "vars", source)]
        if len(arrays) != len(variables):
            message = (
                f"{source}: layer '{name}' (at '{path or '/'}') expected {len(variables)} variables, but "
                f"received {len(arrays)} variables during loading. Expected: {[v.name for v in variables]}"
            )
            if skip_mismatch:
                warnings.warn(message + " Skipping it (skip_mismatch=True).", stacklevel=3)
                continue
            raise ModelFileError(message)
        pairs = [(v, a) for v, a in zip(variables, arrays) if _fits(v, a, name, source, skip_mismatch)]
        plan.extend(pairs)
    if include_optimizer:
        plan.extend(_optimizer_plan(model, groups, source))
    for variable, array in plan:
        variable.assign(array.astype(variable.dtype, copy=False))
    for path, layer, entries in own_loaders:
        try:
            layer.load_own_variables(dict(entries))
        except (ValueError, KeyError, TypeError, IndexError) as e:
            message = (
                f"{source}: layer '{layer.name}' (at '{path or '/'}') could not load its variables with its "
                f"load_own_variables: {type(e).__name__}: {e}"
            )
            if not skip_mismatch:
                raise ModelFileError(message) from e
            warnings.warn(message + " Skipping it (skip_mismatch=True).", stacklevel=3)


def _check_all_used(groups, model_paths, source, skip_mismatch):
    """Weights in the file that no layer of the model takes mean the file holds another model."""
    unused = [path for path, arrays in groups.items() if arrays and path != "optimizer" and path not in model_paths]
    if not unused:
        return
    message = (
        f"{source} holds weights at {unused[:5]}{' ...' if len(unused) > 5 else ''} where this model has no layer: "
        "it was saved from a different model."
    )
    if skip_mismatch:
        warnings.warn(message + " Ignoring them (skip_mismatch=True).", stacklevel=4)
        return
    raise ModelFileError(message)


def _fits(variable, array, owner, source, skip_mismatch):
    if tuple(array.shape) == tuple(variable.shape):
        return True
    message = (
        f"{source}: the weight '{variable.name}' of '{owner}' has shape {tuple(variable.shape)}, but the file holds "
        f"an array of shape {tuple(array.shape)}."
    )
    if skip_mismatch:
        warnings.warn(message + " Skipping it (skip_mismatch=True).", stacklevel=4)
        return False
    raise ModelFileError(message)


def _optimizer_plan(model, groups, source):
    optimizer = getattr(model, "optimizer", None)
    entries = groups.get("optimizer")
    if optimizer is None or not entries:
        return []
    arrays = [entries[key] for key in ordered_indices(entries, "optimizer/vars", source)]
    base = len(optimizer.variables)  # iterations (and the learning rate), before any slot exists
    if len(arrays) > base and not optimizer.built:
        optimizer.build_for(model.trainable_weights)
    variables = optimizer.variables
    if len(arrays) != len(variables):
        warnings.warn(
            f"Skipping variable loading for optimizer '{optimizer.name}', because it has {len(variables)} "
            f"variables whereas the saved optimizer has {len(arrays)} variables.",
            stacklevel=4,
        )
        return []
    return [(v, a) for v, a in zip(variables, arrays) if _fits(v, a, optimizer.name, source, False)]


# ---- random state -------------------------------------------------------------------------
def _random_states(model):
    """The model's own shuffling and dropout stream (once it has trained) and each seeded layer's generator, as
    JSON; the global generator is the caller's and is never saved."""
    layers = {}
    for path, layer in object_tree.layers_by_path(model):
        for attr, value in vars(layer).items():
            if isinstance(value, np.random.Generator) and attr != "_training_rng":
                layers[f"{path}:{attr}"] = value.bit_generator.state
    states = {"layer_random_states": layers}
    stream = vars(model).get("_training_rng")
    if stream is not None:
        states["random_state"] = stream.bit_generator.state
    return states


def _restore_random_states(model, saved, source):
    try:
        if "random_state" in saved:
            model.restore_training_random_state(saved["random_state"])
        layer_states = saved.get("layer_random_states") or {}
        for path, layer in object_tree.layers_by_path(model):
            for attr, value in vars(layer).items():
                state = layer_states.get(f"{path}:{attr}")
                if isinstance(value, np.random.Generator) and state is not None:
                    value.bit_generator.state = state
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as e:
        raise ModelFileError(f"{source}: its saved random state is invalid ({type(e).__name__}: {e}).") from None
