"""GroupNormalization: normalize each sample over groups of channels (LayerNorm at groups=1, InstanceNorm at -1)."""

from npkeras import initializers, regularizers
from npkeras.layers.layer import Layer
from npkeras.ops.group_normalization import GroupNorm


class GroupNormalization(Layer):
    """The channels along `axis` split into `groups` contiguous groups; each group of each sample is normalized
    by its own mean and (biased) variance, then scaled by `gamma` and shifted by `beta` (one per channel)."""

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        if not isinstance(groups, int) or isinstance(groups, bool) or (groups <= 0 and groups != -1):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer (or `-1` for "
                f"instance normalization). Received: groups={groups}"
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups, self.axis, self.epsilon = groups, axis, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint

    def build(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape) or self.axis % len(input_shape) == 0:
            raise ValueError(
                f'Layer "{self.name}": `axis` must be a non-batch axis of the input. Received axis={self.axis} for '
                f"input shape {tuple(input_shape)}"
            )
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the layer received an "
                f"input with shape {tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the number of channels ({dim}).")
        if dim % self.groups != 0:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number of channels ({dim}).")
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                shape=(dim,),
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                shape=(dim,),
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )

    def call(self, inputs):
        channels = self.gamma.shape[0] if self.gamma is not None else None
        channels = self.beta.shape[0] if channels is None and self.beta is not None else channels
        if inputs.ndim < 2 or (channels is not None and inputs.shape[self.axis] != channels):
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected axis {self.axis} of input '
                f"shape to have value {channels}, but received input with shape {tuple(inputs.shape)}"
            )
        if inputs.shape[self.axis] % self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of channels "
                f"({inputs.shape[self.axis]})."
            )
        params = [w for w in (self.gamma, self.beta) if w is not None]
        op = GroupNorm(self.groups, self.axis, self.epsilon, self.gamma is not None, self.beta is not None)
        return op(inputs, *params)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": None,
            "gamma_constraint": None,
        }
