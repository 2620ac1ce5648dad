"""Draw the documentation's pictures: docs/assets/notes_cnn.png, the notes' §1.2 CNN as `plot_model` shows it.

The model is the one `npkeras train cnn` builds: the notes' own layers (examples/cnn.py), after an Input.
Needs pydot and Graphviz (`pip install "npkeras[plots]"`, `apt-get install graphviz`).
Run: python docs/assets/make_pictures.py
"""

from pathlib import Path

import npkeras
from npkeras.cli import MODELS

ASSETS = Path(__file__).resolve().parent


def main():
    target = ASSETS / "notes_cnn.png"
    npkeras.utils.plot_model(MODELS["cnn"][0](), to_file=target, show_shapes=True, dpi=96)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
