"""text_dataset_from_directory: .txt files in class subfolders as batches of strings and labels."""

import numpy as np

from npkeras.utils import directory_index
from npkeras.utils.batched_dataset import BatchedDataset


def _text_loader(paths, max_length):
    def load(rows):
        texts = []
        for i in rows:
            with open(paths[i], "rb") as f:
                data = f.read()
            if max_length is not None:
                data = data[:max_length]  # as tf.strings.substr: bytes
            texts.append(data.decode("utf-8", errors="ignore"))
        return np.asarray(texts, dtype=object)

    return load


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    format="tf",
    verbose=True,
):
    """A BatchedDataset of (texts, labels) batches (texts a NumPy object array of str), or texts alone with
    labels=None; subset="both" returns [training, validation]. Labels as in image_dataset_from_directory."""
    directory_index.check_labels_args(labels, label_mode, class_names)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    directory_index.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = directory_index.index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links, verbose
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )
    subsets = ("training", "validation") if subset == "both" else (subset,)
    datasets = []
    for part in subsets:
        part_paths, part_labels = directory_index.training_or_validation_split(
            paths, labels, validation_split, part, verbose
        )
        if not part_paths:
            what = f"No {part} text files" if subset == "both" else "No text files"
            raise ValueError(f"{what} found in directory {directory}. Allowed format: .txt")
        y = None if part_labels is None else directory_index.encode_labels(part_labels, label_mode, len(class_names))
        held_out = subset == "both" and part == "validation"  # the one split Keras does not reshuffle
        reshuffle = seed if shuffle and not held_out else None
        load = _text_loader(part_paths, max_length)
        dataset = BatchedDataset(part_paths, y, batch_size, load=load, reshuffle_seed=reshuffle)
        dataset.class_names, dataset.file_paths = class_names, list(part_paths)
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]
