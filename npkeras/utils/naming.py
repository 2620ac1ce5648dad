"""Keras-style names: snake_case class names and per-prefix unique counters."""

import re

from npkeras.backend.global_state import name_counters


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def uniquify(prefix):
    """ "dense", then "dense_1", "dense_2", ... (reset by clear_session)."""
    count = name_counters.get(prefix, 0)
    name_counters[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"
