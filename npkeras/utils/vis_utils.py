"""tf.keras 2's path of the model plots (`tensorflow.keras.utils.vis_utils`), kept for code written for it; Keras 3
has them in `keras.utils`."""

from npkeras.utils.model_visualization import model_to_dot, plot_model

__all__ = ["model_to_dot", "plot_model"]
