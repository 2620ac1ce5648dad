"""Fashion-MNIST: 60,000 training and 10,000 test 28x28 grayscale images of 10 clothing classes."""

from npkeras.datasets.files import find_files
from npkeras.datasets.idx import read_idx

FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
HOW_TO_GET = (
    "Install them with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or put the four IDX "
    "files from https://github.com/zalandoresearch/fashion-mnist in a folder and pass it as `path=` "
    "or set NPKERAS_DATA."
)


def load_data(path=None):
    """((x_train, y_train), (x_test, y_test)) as uint8 arrays, like keras.datasets.fashion_mnist."""
    x_tr, y_tr, x_te, y_te = (read_idx(p) for p in find_files("fashion-mnist", FILES, path, HOW_TO_GET))
    return (x_tr, y_tr), (x_te, y_te)
