"""The data tables the rules ship (fixer/rules/data/): their shape, which the rules rely on."""
from __future__ import annotations

import re

from fixer.rules import go_version_from_go_mod, pin_base_images
from fixer.rules.data import base_images, golang_tags


def test_each_golang_variant_is_a_list_of_ordered_disjoint_patch_ranges():
    assert re.fullmatch(r"\d{4}-\d{2}", golang_tags.VERSION)
    for minor, variants in golang_tags.VARIANTS.items():
        assert re.fullmatch(r"1\.\d+", minor)
        assert "" in variants, f"{minor}: the plain tag"
        for variant, ranges in variants.items():
            assert ranges, f"{minor} {variant}"
            for first, last in ranges:
                assert 0 <= first <= last, f"{minor} {variant}"
            pairs = zip(ranges, ranges[1:], strict=False)
            assert all(earlier[1] < later[0] for earlier, later in pairs), f"{minor} {variant}"


def test_the_rule_reads_the_golang_table_by_minor_number():
    version, table = go_version_from_go_mod.golang_tags()
    assert version == golang_tags.VERSION
    assert table[22] is golang_tags.VARIANTS["1.22"]
    assert sorted(table) == sorted(int(minor.split(".")[1]) for minor in golang_tags.VARIANTS)


def test_the_base_image_pins_are_tags_and_the_rule_gets_a_copy():
    assert re.fullmatch(r"\d{4}-\d{2}", base_images.VERSION)
    assert all(re.fullmatch(r"[\w][\w.-]*", tag) for tag in base_images.PINS.values())
    version, pins = pin_base_images.shipped_table()
    assert (version, pins) == (base_images.VERSION, base_images.PINS) and pins is not base_images.PINS
