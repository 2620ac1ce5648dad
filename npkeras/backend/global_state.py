"""Framework state: what a `with` block scopes lives per thread; the automatic names are process-wide.

Keras keeps its scoped state per thread, so a thread serving predictions never switches off
gradient recording or the training flag in a thread that runs fit. Every such piece of state is
a field of `context`, each thread seeing its own values.
"""

import threading


class ThreadContext(threading.local):
    """This thread's scoped framework state (each field is owned by the module named beside it)."""

    def __init__(self):
        self.grad_mode = None  # autograd/mode.py: True records, False never, None only explicit requires_grad
        self.call_training = []  # layers/layer.py: `training` of the layer calls in progress, outermost first
        self.layers_with_losses = []  # layers/layer.py: layers holding add_loss() values from this thread's calls
        self.weight_budgets = []  # layers/weight_budget.py: [remaining bytes, what for], innermost last
        self.compute_depth = 0  # backend/threads.py: compute scopes (fit, evaluate, predict) open in this thread
        self.chunk_worker = False  # backend/threads.py: runs chunks beside other threads, its GEMMs on one thread
        self.generator = None  # backend/random.py: the Generator this thread draws from (made on first use)
        self.custom_object_scopes = []  # saving/registration.py: custom_objects of the scopes (and loads) in progress
        self.safe_modes = []  # saving/registration.py: safe_mode of the loads in progress (none: safe)
        self.batch_share = None  # backend/collective.py: this process's share of the global batch in a step


context = ThreadContext()

# Process-wide, because a layer made in one thread is often used in another and names must stay unique.
name_counters = {}
_names_lock = threading.Lock()

# Bumped whenever any layer gains or loses a sublayer or changes `trainable`: the lists of sublayers that
# layers keep (Layer._self_and_sublayers) are valid while it stays the same.
_layer_structure = [0]
_structure_lock = threading.Lock()


def layer_structure_changed():
    with _structure_lock:
        _layer_structure[0] += 1


def layer_structure_version():
    return _layer_structure[0]


def clear_session():
    """Reset the automatic layer, model and input names, as keras.backend.clear_session does."""
    with _names_lock:
        name_counters.clear()


def uniquify(prefix):
    """ "dense", then "dense_1", "dense_2", ... (reset by clear_session)."""
    with _names_lock:
        count = name_counters.get(prefix, 0)
        name_counters[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"
