"""ResNet: He, Zhang, Ren and Sun, "Deep residual learning for image recognition" (CVPR 2016).

ResNet50/101/152 follow Keras's keras.applications layout and layer names (bottleneck blocks, biased
convolutions, BatchNormalization epsilon 1.001e-5), so Keras's weight files map onto them. ResNet18/34 use the
paper's basic blocks with convolutions without bias, as torchvision's do (Keras has no ResNet18/34).
"""

from npkeras import layers
from npkeras.applications.common import check_arguments, finish, head, model_input

BN_EPSILON = 1.001e-5


def _bn(name):
    return layers.BatchNormalization(axis=3, epsilon=BN_EPSILON, name=name)


def bottleneck_block(x, filters, stride=1, conv_shortcut=True, name=None):
    """1x1 (filters) - 3x3 (filters) - 1x1 (4 filters), added to the input or to its 1x1 projection."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_bn(f"{name}_1_bn")(x))
    x = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_bn(f"{name}_2_bn")(x))
    x = _bn(f"{name}_3_bn")(layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x))
    return layers.Activation("relu", name=f"{name}_out")(layers.Add(name=f"{name}_add")([shortcut, x]))


def basic_block(x, filters, stride=1, conv_shortcut=False, name=None, use_bias=False):
    """3x3 - 3x3 (filters each), added to the input or, when the shape changes, to its 1x1 projection."""
    if conv_shortcut:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=use_bias, name=f"{name}_0_conv")(x)
        shortcut = _bn(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=use_bias, name=f"{name}_1_conv")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_bn(f"{name}_1_bn")(x))
    x = layers.Conv2D(filters, 3, padding="same", use_bias=use_bias, name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    return layers.Activation("relu", name=f"{name}_out")(layers.Add(name=f"{name}_add")([shortcut, x]))


def _stack(x, block, filters, blocks, stride, name, first_projects):
    x = block(x, filters, stride=stride, conv_shortcut=first_projects, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = block(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _resnet(name, block, blocks, use_bias, include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation):  # fmt: skip
    input_shape = check_arguments(name, weights, include_top, classes, input_shape, (224, 224, 3), 32)
    inputs, _ = model_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    x = layers.Activation("relu", name="conv1_relu")(_bn("conv1_bn")(x))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    bottleneck = block is bottleneck_block
    for stage, (filters, count) in enumerate(zip((64, 128, 256, 512), blocks)):
        stride = 1 if stage == 0 else 2
        first_projects = bottleneck or stage > 0  # a bottleneck widens 4x; a basic block only when it strides
        x = _stack(x, block, filters, count, stride, f"conv{stage + 2}", first_projects)
    return finish(inputs, head(x, include_top, pooling, classes, classifier_activation), name, weights)


def ResNet18(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax"):  # fmt: skip
    """ResNet-18 (He et al., 2016): basic blocks [2, 2, 2, 2]; 11,689,512 trainable parameters at 1000 classes."""
    return _resnet("resnet18", basic_block, (2, 2, 2, 2), False, include_top, weights, input_tensor, input_shape,
                   pooling, classes, classifier_activation)  # fmt: skip


def ResNet34(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax"):  # fmt: skip
    """ResNet-34 (He et al., 2016): basic blocks [3, 4, 6, 3]; 21,797,672 trainable parameters at 1000 classes."""
    return _resnet("resnet34", basic_block, (3, 4, 6, 3), False, include_top, weights, input_tensor, input_shape,
                   pooling, classes, classifier_activation)  # fmt: skip


def ResNet50(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax"):  # fmt: skip
    """ResNet-50 (He et al., 2016) as keras.applications.ResNet50: bottlenecks [3, 4, 6, 3], 25,636,712 parameters."""
    return _resnet("resnet50", bottleneck_block, (3, 4, 6, 3), True, include_top, weights, input_tensor, input_shape,
                   pooling, classes, classifier_activation)  # fmt: skip


def ResNet101(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax"):  # fmt: skip
    """ResNet-101 (He et al., 2016) as keras.applications.ResNet101: bottlenecks [3, 4, 23, 3]."""
    return _resnet("resnet101", bottleneck_block, (3, 4, 23, 3), True, include_top, weights, input_tensor,
                   input_shape, pooling, classes, classifier_activation)  # fmt: skip


def ResNet152(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax"):  # fmt: skip
    """ResNet-152 (He et al., 2016) as keras.applications.ResNet152: bottlenecks [3, 8, 36, 3]."""
    return _resnet("resnet152", bottleneck_block, (3, 8, 36, 3), True, include_top, weights, input_tensor,
                   input_shape, pooling, classes, classifier_activation)  # fmt: skip
