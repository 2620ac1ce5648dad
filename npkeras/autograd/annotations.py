"""TensorAnnotation: a value attached to tensors from outside, without a slot on Tensor.

Layers attach masks to their outputs and softmax/sigmoid attach their logits (for the
crossentropies): facts about particular tensors that the autograd engine never reads. An
annotation keeps them by the tensor's identity and drops each entry when its tensor is
garbage collected.
"""

import weakref


class TensorAnnotation:
    def __init__(self, name):
        self.name = name
        self._entries = {}  # id(tensor) -> (weak reference to it, value)

    def get(self, tensor):
        entry = self._entries.get(id(tensor))
        if entry is None or entry[0]() is not tensor:
            return None
        return entry[1]

    def set(self, tensor, value):
        key = id(tensor)
        if value is None:
            self._entries.pop(key, None)
            return
        entries = self._entries

        def forget(ref):
            if entries.get(key, (None,))[0] is ref:
                del entries[key]

        self._entries[key] = (weakref.ref(tensor, forget), value)

    def __len__(self):
        return len(self._entries)

    def as_property(self, doc):
        """A property reading and writing this annotation, for classes that expose it as an attribute."""
        return property(self.get, self.set, doc=doc)
