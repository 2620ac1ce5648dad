"""Function's memory contract: what forward keeps is declared in `saved`, and release() frees exactly that."""

import ast
import inspect
import pathlib

import numpy as np

import npkeras
from npkeras import ops
from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor


class Scale(Function):
    saved = ("x",)

    def __init__(self, factor):
        self.factor = factor

    def forward(self, x):
        self.x = x
        return x * self.factor

    def backward(self, gy):
        return gy * self.factor


def test_release_frees_the_saved_arrays_and_inputs_and_keeps_the_configuration():
    x = Tensor(np.arange(3.0), requires_grad=True)
    y = Scale(2.0)(x)
    op = y.creator
    y.backward(np.ones(3))
    assert op.inputs is None and "x" not in vars(op)
    assert op.factor == 2.0 and op.num_outputs == 1
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])


def test_an_op_of_several_outputs_counts_them():
    class Split(Function):
        def forward(self, x):
            return x[:1], x[1:]

        def backward(self, ga, gb):
            return np.concatenate([ga, gb])

    first, _ = Split()(Tensor(np.arange(3.0), requires_grad=True))
    assert first.creator.num_outputs == 2 and Split.num_outputs == 1


def _op_classes():
    import npkeras.ops as ops_package

    for path in sorted(pathlib.Path(inspect.getfile(ops_package)).parent.glob("*.py")):
        if path.stem == "__init__":  # the package itself, already imported (importing it by name runs it again)
            continue
        module = __import__(f"npkeras.ops.{path.stem}", fromlist=["_"])
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Function) and cls.__module__ == module.__name__:
                yield cls


def test_every_op_declares_its_saved_attributes_as_names():
    classes = list(_op_classes())
    assert len(classes) > 40
    for cls in classes:
        assert isinstance(cls.saved, tuple) and all(isinstance(n, str) for n in cls.saved), cls


def test_the_engine_frees_a_dense_layers_saved_arrays_after_backward():
    layer = npkeras.layers.Dense(4, activation="relu")
    x = Tensor(np.ones((2, 3), "float32"), requires_grad=True)
    with npkeras.GradientTape() as tape:
        loss = ops.sum(layer(x))
    op = loss.creator.inputs[0].creator  # the fused Dense op under the sum
    tape.gradient(loss, layer.trainable_weights)
    assert all(name not in vars(op) for name in type(op).saved) and op.inputs is None


def test_autograd_imports_nothing_above_it():
    folder = pathlib.Path(inspect.getfile(Function)).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("npkeras"):
                assert node.module.startswith(("npkeras.autograd", "npkeras.backend")), (path.name, node.module)


def test_tensor_has_no_keras_slots():
    assert not [name for name in Tensor.__slots__ if name.startswith("_keras")]
