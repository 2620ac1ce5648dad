"""Function: the base of every differentiable op (forward and backward on arrays)."""

from npkeras.autograd.tensor import Tensor
from npkeras.backend.global_state import context


class Function:
    """An op. Subclasses define `forward(*arrays)` and `backward(*output_grads)`.

    `forward` returns one array or a tuple; `backward` returns one gradient per input (None where
    an input gets none). What `forward` keeps for `backward` is declared in `saved` (attribute
    names); the engine drops exactly those, with `inputs`, once backward has run (`release`).
    Attributes set in `__init__` are the op's configuration and stay.
    """

    saved = ()
    num_outputs = 1
    inputs = None  # the input Tensors while the op is part of a graph that can still be differentiated
    output_meta = None  # (shape, dtype) of each output of a several-output op, for outputs that get no gradient

    def __call__(self, *inputs):
        result = self.forward(*[x.data for x in inputs])
        recording = context.grad_mode
        if recording is not False:
            for x in inputs:
                if x.requires_grad and (recording or not x._is_variable):
                    return self._record(inputs, result)
        if type(result) is tuple:
            return tuple(Tensor(y) for y in result)
        return Tensor(result)

    def _record(self, inputs, result):
        """Link the outputs to this op so backward can reach the inputs."""
        self.inputs = inputs
        self.generation = generation = max([x.generation for x in inputs]) + 1
        multiple = type(result) is tuple
        outputs = tuple(Tensor(y) for y in result) if multiple else (Tensor(result),)
        if multiple:
            self.num_outputs = len(outputs)
            self.output_meta = [(y.shape, y.dtype) for y in result]
        for i, out in enumerate(outputs):
            out.requires_grad = out.data.dtype.kind in "fc"  # integers carry no gradient
            out.creator = self
            out.index = i
            out.generation = generation
        return outputs if multiple else outputs[0]

    def release(self):
        """Drop what forward kept for backward (and the inputs): the graph through this op is spent."""
        state = self.__dict__
        for name in self.saved:
            state.pop(name, None)
        state.pop("inputs", None)
        state.pop("output_meta", None)

    def forward(self, *xs):
        raise NotImplementedError

    def backward(self, *gys):
        raise NotImplementedError

    def input_requires_grad(self, i):
        return self.inputs[i].requires_grad
