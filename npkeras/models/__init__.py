"""Models: Model (subclassing or functional), Sequential, and reading and writing them."""

from npkeras.models.cloning import clone_model
from npkeras.models.functional import Functional
from npkeras.models.model import Model
from npkeras.models.sequential import Sequential
from npkeras.saving.model_files import load_model, save_model
from npkeras.saving.model_json import model_from_json

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]
