"""CIFAR-style ResNets: He, Zhang, Ren and Sun, "Deep residual learning for image recognition" (CVPR 2016), §4.2.

6n + 2 layers on 32x32 inputs: a 3x3 convolution with 16 filters, three stages of n basic blocks (16, 32 and 64
filters, the second and third starting with stride 2), global average pooling and the classifier. Where a
stage's first block changes the shape, its shortcut is a 1x1 projection (the paper's option B) rather than
option A's zero-padded identity, which Keras layers cannot express without a Lambda.
"""

from npkeras import layers
from npkeras.applications.common import check_arguments, finish, head, model_input
from npkeras.applications.resnet import _bn, basic_block


def _cifar_resnet(name, n, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation):
    input_shape = check_arguments(name, weights, include_top, classes, input_shape, (32, 32, 3), 8)
    inputs, _ = model_input(input_tensor, input_shape)
    x = layers.Conv2D(16, 3, padding="same", use_bias=False, name="conv1_conv")(inputs)
    x = layers.Activation("relu", name="conv1_relu")(_bn("conv1_bn")(x))
    for stage, filters in enumerate((16, 32, 64)):
        for i in range(1, n + 1):
            first_of_later_stage = i == 1 and stage > 0
            x = basic_block(x, filters, stride=2 if first_of_later_stage else 1, conv_shortcut=first_of_later_stage,
                            name=f"stage{stage + 1}_block{i}")  # fmt: skip
    return finish(inputs, head(x, include_top, pooling, classes, classifier_activation), name, weights)


def ResNet20(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=10,
             classifier_activation="softmax"):  # fmt: skip
    """ResNet-20 for 32x32 images (He et al., 2016, §4.2): n = 3 blocks per stage."""
    return _cifar_resnet("resnet20", 3, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation)  # fmt: skip


def ResNet32(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=10,
             classifier_activation="softmax"):  # fmt: skip
    """ResNet-32 for 32x32 images (He et al., 2016, §4.2): n = 5 blocks per stage."""
    return _cifar_resnet("resnet32", 5, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation)  # fmt: skip


def ResNet56(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=10,
             classifier_activation="softmax"):  # fmt: skip
    """ResNet-56 for 32x32 images (He et al., 2016, §4.2): n = 9 blocks per stage."""
    return _cifar_resnet("resnet56", 9, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation)  # fmt: skip
