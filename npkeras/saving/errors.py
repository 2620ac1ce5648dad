"""The error every unreadable, corrupt or hostile model file raises."""


class ModelFileError(ValueError):
    """A model or weights file that npkeras cannot (or will not) load; the message says which file and why."""
