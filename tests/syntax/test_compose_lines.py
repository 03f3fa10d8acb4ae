"""Compose files whose lines are not cut at `\\n` only: dockerfix reads them as Compose does.

Compose's YAML library (Go's yaml.v3) breaks lines at `\\n`, `\\r\\n`, a lone `\\r`, U+0085, U+2028
and U+2029, and so do ruamel.yaml's scanner and (with dockerfix's reader) its marks. Edits
are placed by those marks: the line starts they are counted from must be the same, and a
U+FEFF, which ruamel counts in no column, must not shift what follows it on its line.
"""
from __future__ import annotations

import pytest

from fixer.engine.compose import fix_compose
from fixer.syntax.compose import load, yaml_line_starts

SERVICES = "services:\n  web:\n    image: nginx\n"


@pytest.mark.parametrize("text, fixed", [
    pytest.param('x-note: "first\rsecond"\nversion: "3"\n' + SERVICES, 'x-note: "first\rsecond"\n' + SERVICES,
                 id="lone-cr-in-a-quoted-value"),
    pytest.param('x-a: 1 # note\u2028x-b: 2\nversion: "3"\n' + SERVICES, "x-a: 1 # note\u2028x-b: 2\n" + SERVICES,
                 id="line-separator-in-a-comment"),
    pytest.param("services: # note\u2028  web:\n    image: nginx\nversion: '3'\n",
                 "services: # note\u2028  web:\n    image: nginx\n", id="line-separator-then-an-indented-key"),
    pytest.param('x-a: 1 # note\x85\u2029# more\nversion: "3"\n' + SERVICES,
                 "x-a: 1 # note\x85\u2029# more\n" + SERVICES, id="next-line-and-paragraph-separator"),
    pytest.param('version: &v "3"\n' + SERVICES, SERVICES, id="anchored-version"),
    pytest.param('\ufeffversion: "3"\n' + SERVICES, "\ufeff" + SERVICES, id="byte-order-mark-kept"),
])
def test_valid_compose_files_are_read_and_fixed_in_place(text, fixed):
    result = fix_compose(text, unsafe_fixes=True)  # the line handling, not DC001's evidence
    assert result.output == fixed
    assert [diagnostic.rule.id for diagnostic in result.applied] == ["DC001"]


@pytest.mark.parametrize("value", ['"a\rb"', '"a\ufeffb"', '"a\ufeff\ufeff\rb"'])
def test_an_edit_after_a_lone_cr_or_feff_on_the_line_lands_on_its_key(value):
    text = f'services:\n  web: {{image: {value}, links: ["db"]}}\n  db: {{image: postgres}}\n'
    result = fix_compose(text, unsafe_fixes=True)
    assert result.output == text.replace("links:", "depends_on:")


def test_lines_are_numbered_as_compose_numbers_them():
    text = 'x-a: "a\rb" # c\u2028\nx-b: 1\r\nx-c: 2\n'
    document = load(text)
    assert yaml_line_starts(text) == [0, 8, 15, 16, 24, 31]
    for key in ("x-a", "x-b", "x-c"):
        line, column = document.data[0].lc.key(key)
        assert text[document.offset(line, column):].startswith(key)


def test_a_line_separator_inside_a_quoted_value_stays_in_the_value():
    document = load('x-a: "a\u2028b"\nservices: {}\n')
    assert document.data[0]["x-a"] == "a\u2028b"
