"""Models: Model (subclassing) and Sequential."""

from npkeras.models.model import Model
from npkeras.models.sequential import Sequential

__all__ = ["Model", "Sequential"]
