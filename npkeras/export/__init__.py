"""Export of npkeras models: ONNX (the `onnx` extra), written layer by layer from the model's graph."""

from npkeras.export.onnx_export import export_onnx

__all__ = ["export_onnx"]
