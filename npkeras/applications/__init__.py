"""The notes' classic models (§1.2), with keras.applications' signatures: LeNet-5, AlexNet, VGG, ResNet."""

from npkeras.applications.alexnet import AlexNet
from npkeras.applications.cifar_resnet import ResNet20, ResNet32, ResNet56
from npkeras.applications.lenet import LeNet5
from npkeras.applications.resnet import ResNet18, ResNet34, ResNet50, ResNet101, ResNet152
from npkeras.applications.vgg import VGG11, VGG13, VGG16, VGG19

__all__ = [
    "AlexNet",
    "LeNet5",
    "ResNet18",
    "ResNet20",
    "ResNet32",
    "ResNet34",
    "ResNet50",
    "ResNet56",
    "ResNet101",
    "ResNet152",
    "VGG11",
    "VGG13",
    "VGG16",
    "VGG19",
]
