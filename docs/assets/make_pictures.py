"""Draw the documentation's pictures: docs/assets/notes_cnn.png, the notes' §1.2 CNN as `plot_model` shows it.

The model is built exactly as examples/cnn.py builds it (the notes' own code block). Needs pydot and Graphviz
(`pip install "npkeras[plots]"`, `apt-get install graphviz`).
Run: python docs/assets/make_pictures.py
"""

import warnings
from pathlib import Path

import npkeras
from npkeras import layers, models

ASSETS = Path(__file__).resolve().parent


def notes_cnn():
    """§1.2's CNN, as the notes (and examples/cnn.py) write it; `input_shape=` warns in Keras 3, silenced here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # fmt: off
        model = models.Sequential([
            layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation='relu'),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation='relu'),
            layers.Flatten(),
            layers.Dense(64, activation='relu'),
            layers.Dense(10, activation='softmax')
        ])
        # fmt: on
    return model


def main():
    target = ASSETS / "notes_cnn.png"
    npkeras.utils.plot_model(notes_cnn(), to_file=target, show_shapes=True, dpi=96)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
