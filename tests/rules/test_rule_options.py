"""Rule options that fixtures do not show on their own."""
from __future__ import annotations

import pytest

import fixer
from fixer.rules import find_rule


def test_base_image_pins_can_be_overridden_and_extended():
    text = "FROM alpine\nFROM example.com/acme/runtime:latest\n"
    options = {"base_image_pins": {"alpine": "3.22", "example.com/acme/runtime": "2.1"}}
    result = fixer.fix(text, rules=[find_rule("DF016")], options=options)
    assert result.output == "FROM alpine:3.22\nFROM example.com/acme/runtime:2.1\n"


def test_the_shipped_pin_table_has_a_version_and_no_golang():
    from fixer.rules.pin_base_images import shipped_table

    version, pins = shipped_table()
    assert version and "golang" not in pins and all(tag and tag != "latest" for tag in pins.values())


@pytest.mark.parametrize("layout, alpine", [
    ({}, True),
    ({".git/HEAD": "ref: refs/heads/main\n"}, False),                       # VCS stamping needs git
    ({".git/HEAD": "ref\n", ".dockerignore": ".git\n"}, True),              # ... unless .git stays out
])
def test_builder_moves_to_alpine_only_where_that_cannot_break_the_build(tmp_path, layout, alpine):
    from fixer.context import BuildContext

    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    text = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /x .\nCMD ["/x"]\n'
    output = fixer.fix(text, rules=[find_rule("DF011")], context=BuildContext(tmp_path)).output
    assert output.startswith("FROM golang:1.22-alpine AS builder\n" if alpine else "FROM golang:1.22 AS builder\n")


def test_builder_keeps_debian_when_a_step_needs_more_than_busybox(tmp_path):
    from fixer.context import BuildContext

    (tmp_path / "go.mod").write_text("module example.com/x\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")  # no cgo: CGO_ENABLED=0 is safe
    text = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN make build && go build -o /x .\nCMD ["/x"]\n'
    output = fixer.fix(text, rules=[find_rule("DF011")], context=BuildContext(tmp_path)).output
    assert output.startswith("FROM golang:1.22 AS builder\n")
