"""The first bytes of the files a COPY or ADD source names: read through the context layer,
regular files only, never blocking (add-to-copy tells an archive by them)."""
from __future__ import annotations

import os

from fixer.context.reading import heads


def test_a_path_names_one_file_and_only_its_first_bytes_are_read(tmp_path):
    (tmp_path / "release").write_bytes(b"\x1f\x8b\x08rest")
    assert heads(str(tmp_path), "release", 2) == [b"\x1f\x8b"]


def test_a_glob_names_each_regular_file_it_matches_in_order_of_the_glob(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "a.yaml").write_bytes(b"a: 1\n")
    (tmp_path / "conf" / "b.yaml").write_bytes(b"b: 2\n")
    (tmp_path / "conf" / "sub.yaml").mkdir()
    assert sorted(heads(str(tmp_path), "conf/*.yaml", 262)) == [b"a: 1\n", b"b: 2\n"]


def test_what_is_no_regular_file_names_nothing(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "directory").mkdir()
    for pattern in ("fifo", "directory", "missing", ".", "f*", "missing/*"):
        assert heads(str(tmp_path), pattern, 262) == [], pattern


def test_a_nul_in_the_source_names_nothing_instead_of_raising(tmp_path):
    assert heads(str(tmp_path), "a\0b", 262) == []
    assert heads(str(tmp_path), "a\0/*", 262) == []
