"""VGG: Simonyan and Zisserman, "Very deep convolutional networks for large-scale image recognition" (ICLR 2015)."""

from npkeras import layers
from npkeras.applications.common import check_arguments, finish, head, model_input

# convolutions per block (64, 128, 256, 512, 512 filters): the paper's configurations A, B, D and E
CONVS_PER_BLOCK = {
    "vgg11": (1, 1, 2, 2, 2),
    "vgg13": (2, 2, 2, 2, 2),
    "vgg16": (2, 2, 3, 3, 3),
    "vgg19": (2, 2, 4, 4, 4),
}
FILTERS = (64, 128, 256, 512, 512)


def _vgg(name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation):
    input_shape = check_arguments(name, weights, include_top, classes, input_shape, (224, 224, 3), 32)
    inputs, _ = model_input(input_tensor, input_shape)
    x = inputs
    for block, (convs, filters) in enumerate(zip(CONVS_PER_BLOCK[name], FILTERS), start=1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(filters, 3, activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D(2, strides=2, name=f"block{block}_pool")(x)

    def top(x):
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)

    return finish(inputs, head(x, include_top, pooling, classes, classifier_activation, top), name, weights)


def VGG11(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax"):  # fmt: skip
    """VGG-11, configuration A of Simonyan and Zisserman (2015): 8 convolutions and 3 dense layers."""
    return _vgg("vgg11", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def VGG13(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax"):  # fmt: skip
    """VGG-13, configuration B of Simonyan and Zisserman (2015): 10 convolutions and 3 dense layers."""
    return _vgg("vgg13", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def VGG16(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax"):  # fmt: skip
    """VGG-16, configuration D of Simonyan and Zisserman (2015), with Keras's layer names: 138,357,544 parameters."""
    return _vgg("vgg16", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def VGG19(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax"):  # fmt: skip
    """VGG-19, configuration E of Simonyan and Zisserman (2015), with Keras's layer names."""
    return _vgg("vgg19", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)
