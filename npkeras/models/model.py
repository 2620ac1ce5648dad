"""Model: a Layer that trains (compile/fit/evaluate/predict) and summarises itself."""

from npkeras.layers.layer import Layer
from npkeras.models.trainer import Trainer


class Model(Trainer, Layer):
    """Subclass and define `call(inputs, training=False)`; layers set as attributes are tracked."""

    def __init__(self, *, trainable=True, name=None, dtype=None, **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype, **kwargs)

    def call(self, inputs, training=False):
        raise NotImplementedError(
            f"Model {self.name!r} ({type(self).__name__}) has no `call` method: subclasses of Model "
            "must define call(self, inputs, training=False)."
        )

    def build(self, input_shape):
        """Build every layer by running the model once on zeros of `input_shape`."""
        if self.built:
            return
        import numpy as np

        from npkeras.autograd import mode

        self.built = True
        concrete = tuple(1 if d is None else d for d in input_shape)
        with mode.no_grad():
            self.call(np.zeros(concrete, dtype=self.dtype), training=False)

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

        print_summary(self, line_length=line_length, print_fn=print_fn)
