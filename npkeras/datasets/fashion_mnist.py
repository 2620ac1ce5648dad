"""Fashion-MNIST: 60,000 training and 10,000 test 28x28 grayscale images of 10 clothing classes."""

from npkeras.datasets import download
from npkeras.datasets.files import cache_dir, find_files
from npkeras.datasets.idx import read_idx

FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"  # where Keras downloads them from
# SHA-256 of each file's decompressed IDX content
CONTENT_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
HOW_TO_GET = (
    "Install them with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or put the four IDX "
    "files from https://github.com/zalandoresearch/fashion-mnist in a folder and pass it as `path=` "
    "or set NPKERAS_DATA."
)


def load_data(path=None):
    """((x_train, y_train), (x_test, y_test)) as uint8 arrays, like keras.datasets.fashion_mnist.

    `path` is a folder holding the four IDX files (each may be gzipped); a path without them is an
    error. With no path: `$NPKERAS_DATA`, ~/.npkeras/datasets/fashion-mnist and /usr/share/datasets;
    failing those, downloads the files (checked by SHA-256) into the cache unless NPKERAS_OFFLINE
    is set.
    """
    try:
        files = find_files("fashion-mnist", FILES, path, HOW_TO_GET)
    except FileNotFoundError as missing:
        if path is not None or not download.downloads_allowed():
            raise
        try:
            files = [
                download.fetch(ORIGIN + name + ".gz", cache_dir("fashion-mnist") / (name + ".gz"), CONTENT_SHA256[name])
                for name in FILES
            ]
        except (OSError, ValueError) as e:
            raise FileNotFoundError(f"{missing}\nDownloading them failed too: {e}") from None
    x_tr, y_tr, x_te, y_te = (read_idx(p) for p in files)
    return (x_tr, y_tr), (x_te, y_te)
