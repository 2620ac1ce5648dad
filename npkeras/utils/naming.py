"""Keras-style names: snake_case class names and per-prefix unique counters."""

import re

from npkeras.backend.global_state import uniquify  # noqa: F401 - re-exported for layers and models


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
