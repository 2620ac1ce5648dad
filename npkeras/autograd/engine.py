"""The backward engine: reverse topological order by generation, graph freed after use."""

import heapq
import itertools

import numpy as np

_FREED = (
    "Trying to backpropagate through a graph a second time: its buffers were freed by the first "
    "backward. Use retain_graph=True (or a persistent GradientTape) to keep them."
)


def run_backward(roots, seeds, wanted=(), accumulate_leaves=False, retain_graph=False):
    """Backpropagate `seeds` from `roots`.

    Returns {id(t): gradient} for every tensor in `wanted`, leaf or intermediate.
    With `accumulate_leaves`, adds each leaf's gradient to its `.grad`.
    """
    wanted_leaves = {id(t) for t in wanted if t.creator is None}
    wanted_slots = {(id(t.creator), t.index): id(t) for t in wanted if t.creator is not None}
    found = {}
    pending = {}  # function -> list of gradients of its outputs
    heap = []
    order = itertools.count()
    queue = [(root, seed) for root, seed in zip(roots, seeds) if root.requires_grad]
    while True:
        # deliver each (tensor, gradient) to the leaf it is or to the op that made it
        for tensor, grad in queue:
            creator = tensor.creator
            if creator is None:
                key = id(tensor)
                if key in wanted_leaves:
                    prev = found.get(key)
                    found[key] = grad if prev is None else prev + grad
                if accumulate_leaves:  # a leaf's .grad owns its memory
                    tensor.grad = np.array(grad) if tensor.grad is None else tensor.grad + grad
                continue
            slots = pending.get(creator)
            if slots is None:
                if creator.inputs is None:
                    raise RuntimeError(_FREED)
                slots = pending[creator] = [None] * creator.num_outputs
                heapq.heappush(heap, (-creator.generation, next(order), creator))
            i = tensor.index
            slots[i] = grad if slots[i] is None else slots[i] + grad
        if not heap:
            break
        fn = heapq.heappop(heap)[2]
        grads = pending.pop(fn)
        if wanted_slots:
            for i, g in enumerate(grads):
                key = wanted_slots.get((id(fn), i))
                if key is not None:
                    found[key] = g
        if len(grads) > 1 and any(g is None for g in grads):
            grads = [np.zeros(m[0], m[1]) if g is None else g for g, m in zip(grads, fn.output_meta)]
        input_grads = fn.backward(*grads)
        if type(input_grads) is not tuple:
            input_grads = (input_grads,)
        queue = [(x, gx) for x, gx in zip(fn.inputs, input_grads) if gx is not None and x.requires_grad]
        if not retain_graph:
            fn.release()
    return {key: _writable(g) for key, g in found.items()}


def _writable(grad):
    """Gradients handed to users may be broadcast views; give them their own memory."""
    return grad if grad.flags.writeable else grad.copy()


def gradients(target, sources, output_gradient=None, retain_graph=False):
    """d(target)/d(source) for each source, None where the target does not depend on it."""
    seed = _seed(target, output_gradient)
    found = run_backward([target], [seed], wanted=sources, retain_graph=retain_graph)
    return [found.get(id(s)) for s in sources]


def backward(target, output_gradient=None, retain_graph=False):
    seed = _seed(target, output_gradient)
    run_backward([target], [seed], accumulate_leaves=True, retain_graph=retain_graph)


def _seed(target, output_gradient):
    if output_gradient is None:
        return np.ones_like(target.data)
    seed = np.array(output_gradient, dtype=target.dtype)  # a copy: gradients never alias the caller's array
    if seed.shape != target.shape:
        raise ValueError(f"The output gradient has shape {seed.shape}, but the target has shape {target.shape}.")
    return seed
