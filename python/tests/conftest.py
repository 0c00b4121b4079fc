"""Shared fixtures: the shared corpus (skipped when absent) and a pack file."""

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

PACK = """\
pack: house
rules:
  - id: house-fox
    find: quick fox
    replace: swift fox
  - id: house-hare
    find: slow hare
    replace: steady hare
    level: suggest
"""


def corpus_dir():
    """The shared corpus: $COPYDESK_CORPUS, else ../shared/corpus next to
    the repository, as the Rust tests find it; None when neither exists."""
    for candidate in (os.environ.get("COPYDESK_CORPUS"), REPO.parent / "shared" / "corpus"):
        if candidate and pathlib.Path(candidate).is_dir():
            return pathlib.Path(candidate)
    return None


@pytest.fixture
def corpus():
    found = corpus_dir()
    if found is None:
        pytest.skip("the shared corpus is not next to the repository")
    return found


def bbc_texts(corpus, limit=None):
    """The BBC News articles, in a fixed order."""
    paths = sorted((corpus / "bbc-news").glob("*/*.txt"))[:limit]
    return [p.read_text(encoding="utf-8") for p in paths]


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "house.yaml"
    path.write_text(PACK, encoding="utf-8")
    return path
