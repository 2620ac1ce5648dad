"""Session-wide state: the counters behind automatic names (dense, dense_1, ...)."""

name_counters = {}


def clear_session():
    """Reset the automatic layer, model and input names, as keras.backend.clear_session does."""
    name_counters.clear()


def uniquify(prefix):
    """ "dense", then "dense_1", "dense_2", ... (reset by clear_session)."""
    count = name_counters.get(prefix, 0)
    name_counters[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"
