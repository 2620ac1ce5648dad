"""Function: the base of every differentiable op (forward and backward on arrays)."""

from npkeras.autograd import mode
from npkeras.autograd.tensor import Tensor


class Function:
    """An op. Subclasses define `forward(*arrays)` and `backward(*output_grads)`.

    `forward` returns one array or a tuple; `backward` returns one gradient per input
    (None where an input gets none). Saved arrays live as attributes and are dropped by the
    engine once backward has run, together with `inputs`.
    """

    def __call__(self, *inputs):
        arrays = [x.data for x in inputs]
        result = self.forward(*arrays)
        record = mode._recording and any(x.requires_grad for x in inputs)
        if record:
            self.inputs = inputs
            generation = max(x.generation for x in inputs) + 1
        if isinstance(result, tuple):
            outputs = tuple(Tensor(y) for y in result)
            if record:
                self.num_outputs = len(outputs)
                self.output_meta = [(y.shape, y.dtype) for y in result]
        else:
            outputs = Tensor(result)
        if record:
            for i, out in enumerate(outputs if isinstance(outputs, tuple) else (outputs,)):
                out.requires_grad = out.data.dtype.kind in "fc"  # integers carry no gradient
                out.creator = self
                out.index = i
                out.generation = generation
            self.generation = generation
        return outputs

    def forward(self, *xs):
        raise NotImplementedError

    def backward(self, *gys):
        raise NotImplementedError

    def input_requires_grad(self, i):
        return self.inputs[i].requires_grad
