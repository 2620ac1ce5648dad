"""The optional onnx package, imported on first use with a message that names the extra to install."""

try:
    import onnx
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        'Exporting to ONNX needs the `onnx` package: install it with `pip install "npkeras[onnx]"`.'
    ) from error

__all__ = ["onnx"]
