"""Fused cross-entropy ops: softmax or sigmoid and the log-loss in one numerically stable step.

Each returns the per-element loss (reduced over the class axis for the softmax forms);
reductions and sample weights are applied by npkeras.losses.
"""

import numpy as np

from npkeras.autograd.function import Function


class SparseSoftmaxCrossEntropy(Function):
    """-log softmax(logits)[label] along the last axis; `labels` are integer class ids."""

    saved = ("labels", "flat_labels", "probs", "rows")

    def __init__(self, labels):
        self.labels = labels

    def forward(self, logits):
        classes = logits.shape[-1]
        z = logits.reshape(-1, classes)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        total = e.sum(axis=1, keepdims=True)
        rows = np.arange(len(z))
        labels = self.labels.reshape(-1)
        loss = np.log(total[:, 0]) - z[rows, labels]
        e /= total
        self.probs, self.rows, self.flat_labels = e, rows, labels
        return loss.reshape(logits.shape[:-1])

    def backward(self, gy):
        g = self.probs.copy()
        g[self.rows, self.flat_labels] -= 1
        g *= gy.reshape(-1, 1)
        return g.reshape(self.inputs[0].shape)


class SoftmaxCrossEntropy(Function):
    """-sum(target * log softmax(logits)) along `axis`; target is a dense distribution."""

    saved = ("log_probs", "target")

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, logits, target):
        z = logits - logits.max(axis=self.axis, keepdims=True)
        total = np.exp(z).sum(axis=self.axis, keepdims=True)
        self.log_probs = z - np.log(total)
        self.target = target
        return -(target * self.log_probs).sum(axis=self.axis)

    def backward(self, gy):
        gy = np.expand_dims(gy, self.axis)
        t = self.target
        g_logits = gy * (np.exp(self.log_probs) * t.sum(axis=self.axis, keepdims=True) - t)
        g_target = -gy * self.log_probs if self.input_requires_grad(1) else None
        return g_logits, g_target


class SigmoidCrossEntropy(Function):
    """Element-wise max(z, 0) - z * t + log(1 + exp(-|z|)) for logits z and targets t."""

    saved = ("logits", "target")

    def forward(self, logits, target):
        self.logits, self.target = logits, target
        return np.maximum(logits, 0) - logits * target + np.log1p(np.exp(-np.abs(logits)))

    def backward(self, gy):
        p = 0.5 * (1 + np.tanh(0.5 * self.logits))
        g_logits = gy * (p - self.target)
        g_target = -gy * self.logits if self.input_requires_grad(1) else None
        return g_logits, g_target
