"""Session-wide state: the counters behind automatic names (dense, dense_1, ...)."""

name_counters = {}


def clear_session():
    """Reset the automatic layer, model and input names, as keras.backend.clear_session does."""
    name_counters.clear()
