"""BatchNormalization."""

import numpy as np

from npkeras import initializers, ops, regularizers
from npkeras.layers.input_spec import check_input_axis, check_input_rank
from npkeras.layers.layer import Layer
from npkeras.ops import normalization


class BatchNormalization(Layer):
    """Normalize over the batch while training; by moving averages of its statistics otherwise.

    In training (`training=True` and the layer trainable) the batch's mean and biased variance
    normalize the input and move `moving_mean` / `moving_variance` by
    `moving = moving * momentum + batch * (1 - momentum)`; otherwise the moving values are used.
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        synchronized=False,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(f'Layer "{self.name}": `axis` must be one integer. Received axis={axis!r}')
        if renorm:
            raise ValueError(f'Layer "{self.name}": npkeras does not implement batch renormalization (renorm=True).')
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.synchronized = synchronized
        self.renorm, self.renorm_clipping, self.renorm_momentum = renorm, renorm_clipping, renorm_momentum

    def build(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(
                f'Layer "{self.name}": axis {self.axis} is out of range for input shape {tuple(input_shape)}.'
            )
        size = input_shape[self.axis]
        if size is None:
            raise ValueError(
                f'Layer "{self.name}": axis {self.axis} of the input must be known. Received {input_shape}'
            )
        shape = (size,)
        self._input_rank = len(input_shape)
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                shape,
                self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
        if self.center:
            self.beta = self.add_weight(
                shape,
                self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )
        self.moving_mean = self.add_weight(shape, self.moving_mean_initializer, trainable=False, name="moving_mean")
        self.moving_variance = self.add_weight(
            shape, self.moving_variance_initializer, trainable=False, name="moving_variance"
        )

    def call(self, inputs, training=False, mask=None):
        if mask is not None:
            raise ValueError(f'Layer "{self.name}": npkeras\'s BatchNormalization does not take a mask.')
        return self._normalize(inputs, training, relu=False)

    def call_with_relu(self, inputs, training=False):
        """This layer then max(x, 0), in one pass over the batch.

        Same outputs and gradients as the layer followed by a ReLU; the model runs them this way
        (models/fusion.py) when nothing can observe the difference.
        """
        return self._normalize(inputs, training, relu=True)

    def _normalize(self, inputs, training, relu):
        check_input_rank(self, inputs, self._input_rank)
        check_input_axis(self, inputs, self.axis, self.moving_mean.shape[0])
        if inputs.dtype.kind not in "fc":  # as Keras: integers are normalized in float32
            inputs = ops.cast(inputs, np.result_type(inputs.dtype, np.float32))
        params = [p for p in (self.gamma, self.beta) if p is not None]
        if not (training and self.trainable):
            return normalization.normalize_by(
                inputs, self.moving_mean, self.moving_variance, self.axis, self.beta, self.gamma, self.epsilon, relu
            )
        op = normalization.BatchNormTraining(self.axis, self.epsilon, self.scale, self.center, self.synchronized, relu)
        outputs = op(inputs, *params)
        for moving, batch in ((self.moving_mean, op.mean), (self.moving_variance, op.variance)):
            moving.data *= self.momentum
            moving.data += (1.0 - self.momentum) * batch.astype(moving.dtype, copy=False)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": None,
            "gamma_constraint": None,
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
