"""LeNet-5: LeCun, Bottou, Bengio and Haffner, "Gradient-based learning applied to document recognition" (1998)."""

from npkeras import layers
from npkeras.applications.common import check_arguments, finish, head, model_input


def LeNet5(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=10,
    classifier_activation="softmax",
    name="lenet5",
):
    """LeNet-5 (LeCun et al., 1998): C1 conv 6@5x5, S2 pool, C3 conv 16@5x5, S4 pool, C5 conv 120@5x5, F6 84, output.

    The 1998 layout on 32x32 inputs, with three changes the paper's tricks don't survive in a Keras layer set:
    S2/S4 are plain 2x2 average pooling (the paper's had a trainable coefficient and bias per map); C3 connects to
    all 6 maps of S2 (the paper's table linked each to 3-6 of them, to break symmetry and save parameters); and
    the output is Dense + softmax instead of Euclidean RBF units. tanh stays, as in the paper (scaled there).
    """
    input_shape = check_arguments(name, weights, include_top, classes, input_shape, (32, 32, 1), 32)
    inputs, _ = model_input(input_tensor, input_shape)
    x = layers.Conv2D(6, 5, activation="tanh", name="c1")(inputs)
    x = layers.AveragePooling2D(2, name="s2")(x)
    x = layers.Conv2D(16, 5, activation="tanh", name="c3")(x)
    x = layers.AveragePooling2D(2, name="s4")(x)
    x = layers.Conv2D(120, 5, activation="tanh", name="c5")(x)

    def top(x):
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(84, activation="tanh", name="f6")(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)

    return finish(inputs, head(x, include_top, pooling, classes, classifier_activation, top), name, weights)
