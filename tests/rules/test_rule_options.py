"""Rule options that fixtures do not show on their own."""
from __future__ import annotations

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
