"""Model: a Layer that trains (compile/fit/evaluate/predict) and summarises itself."""

import numpy as np

from npkeras.autograd import mode
from npkeras.layers import symbolic
from npkeras.layers.layer import Layer, is_shape, shape_structure
from npkeras.models import data_adapter
from npkeras.models.trainer import Trainer


def map_shapes(fn, shapes):
    """`fn` applied to each shape of a shape, or of a list or dict of shapes."""
    if isinstance(shapes, dict):
        return {k: map_shapes(fn, v) for k, v in shapes.items()}
    if is_shape(shapes):
        return fn(shapes)
    return [map_shapes(fn, v) for v in shapes]


class Model(Trainer, Layer):
    """Subclass and define `call(inputs, training=False)`; layers set as attributes are tracked."""

    def __new__(cls, *args, **kwargs):
        """`Model(inputs, outputs)` builds a functional model, and so does a subclass given inputs and outputs
        (its own methods, such as train_step, over the functional graph), as in Keras."""
        from npkeras.models.functional import Functional, functional_subclass

        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            return super().__new__(Functional)  # Python then runs Functional.__init__(inputs, outputs, ...)
        inputs = kwargs.get("inputs", args[0] if args else None)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
        if not issubclass(cls, Functional) and symbolic.is_symbolic(inputs) and symbolic.is_symbolic(outputs):
            return super().__new__(functional_subclass(cls))
        return super().__new__(cls)

    def __init__(self, *, trainable=True, name=None, dtype=None, **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype, **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from its config; a functional config (layers and their calls) rebuilds the graph, also for a
        subclass of Model, as Keras does."""
        if isinstance(config, dict) and "input_layers" in config and "layers" in config:
            from npkeras.models.functional import rebuild_functional

            return rebuild_functional(cls, config, custom_objects)
        return cls(**config)

    def _array_input_dtype(self):
        """None: a model keeps integer inputs (Keras's rule for layers); Functional and Sequential then give each
        input its Input's dtype."""
        return None

    def get_layer(self, name=None, index=None):
        """A layer of this model by name or by index (as in model.layers)."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received both.")
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has {len(self.layers)} layers."
                )
            return self.layers[index]
        if name is None:
            raise ValueError("Provide either a layer name or layer index at `get_layer`.")
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}.")

    def call(self, inputs, training=False):
        raise NotImplementedError(
            f"Model {self.name!r} ({type(self).__name__}) has no `call` method: subclasses of Model "
            "must define call(self, inputs, training=False)."
        )

    def build(self, input_shape):
        """Build every layer by running the model once on zeros of `input_shape` (a shape, or a list or dict
        of shapes for several inputs; None for the batch axis)."""
        if not self.built:
            self._build_on(map_shapes(lambda shape: np.zeros(tuple(1 if d is None else d for d in shape),
                                                             dtype=self.dtype), input_shape))  # fmt: skip

    def _build_from_batch(self, x):
        """Build from the data: run the model once on its first sample, so each input keeps its dtype. A model
        without `call` (a GAN whose train_step drives its parts) has nothing to run."""
        if type(self).call is Model.call:
            self.built = True
            return
        self._build_on(data_adapter.take(x, slice(0, 1)))
        self._record_build_shape(shape_structure(x))

    def _build_on(self, x):
        self.built = True  # so the call below runs `call` instead of coming back here
        try:
            with mode.no_grad():
                self(x, training=False)
        except BaseException:
            self.built = False
            raise

    # ---- saving -----------------------------------------------------------------------
    def export(self, filepath, format="onnx", verbose=None, input_signature=None, opset=None, **kwargs):
        """Write the model for serving without npkeras: format "onnx" (the `onnx` extra), batch axis dynamic."""
        if format != "onnx":
            raise ValueError(f'npkeras exports to format="onnx" only. Received: format={format!r}')
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to export(): {sorted(kwargs)}")
        from npkeras.export import export_onnx

        path = export_onnx(self, filepath, opset=opset, input_signature=input_signature)
        if verbose:
            print(f"Saved artifact at '{path}'.")
        return path

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Save the whole model (config, weights, optimizer state) as a `.keras` archive.

        kwargs: weights_format="h5" (needs h5py; Keras reads it) or "npz" (NumPy only),
        include_optimizer=True."""
        from npkeras.saving.model_files import save_model

        if zipped is False:
            raise ValueError("npkeras writes zipped `.keras` archives only (zipped=False is not supported).")
        save_model(self, filepath, overwrite=overwrite, **kwargs)

    def save_weights(self, filepath, overwrite=True):
        """Save the variables (and the optimizer's) to `*.weights.h5` or `*.weights.npz`."""
        from npkeras.saving.model_files import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """Load variables saved by save_weights() or save() (npkeras's or Keras's files)."""
        from npkeras.saving.model_files import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def to_json(self, **kwargs):
        """The model's config (with build and compile configs) as a JSON string; kwargs go to json.dumps."""
        import json

        from npkeras.saving.archive import json_default
        from npkeras.saving.model_files import serialize_model

        return json.dumps(serialize_model(self), default=json_default, **kwargs)

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        from npkeras.models.summary import print_summary

        print_summary(
            self,
            print_fn=print_fn,
            line_length=line_length,
            positions=positions,
            show_trainable=show_trainable,
            layer_range=layer_range,
            expand_nested=expand_nested,
        )
