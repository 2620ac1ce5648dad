"""AlexNet: Krizhevsky, Sutskever and Hinton, "ImageNet classification with deep convolutional neural networks"
(NeurIPS 2012)."""

from npkeras import layers
from npkeras.applications.common import check_arguments, finish, head, model_input


def AlexNet(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    dropout=0.5,
    name="alexnet",
):
    """AlexNet (Krizhevsky et al., 2012) on 227x227 inputs: five convolutions (96@11x11/4, 256@5x5, 384, 384,
    256@3x3), three max-poolings, two dense 4096 with dropout, then the classifier: 62,378,344 parameters.

    One tower instead of the paper's two GPU halves (so conv2, conv4 and conv5 see every map of the layer
    before), and no local response normalization (the later VGG paper found it did not help)."""
    input_shape = check_arguments(name, weights, include_top, classes, input_shape, (227, 227, 3), 67)
    inputs, _ = model_input(input_tensor, input_shape)
    x = layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1")(inputs)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    x = layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool2")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4")(x)
    x = layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool5")(x)

    def top(x):
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dropout(dropout, name="drop6")(layers.Dense(4096, activation="relu", name="fc6")(x))
        x = layers.Dropout(dropout, name="drop7")(layers.Dense(4096, activation="relu", name="fc7")(x))
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)

    return finish(inputs, head(x, include_top, pooling, classes, classifier_activation, top), name, weights)
