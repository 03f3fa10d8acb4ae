"""The data tables shipped in the package are read once, through the context layer."""
from __future__ import annotations

from fixer.context.package_data import shipped_toml
from fixer.rules import go_version_from_go_mod, pin_base_images


def test_a_table_beside_a_module_is_parsed_once_and_shared():
    table = shipped_toml(pin_base_images.__file__, pin_base_images.TABLE)
    assert table["version"] and table["pins"]
    assert shipped_toml(pin_base_images.__file__, pin_base_images.TABLE) is table


def test_the_rules_tables_come_from_it():
    version, pins = pin_base_images.shipped_table()
    assert (version, pins) == (shipped_toml(pin_base_images.__file__, pin_base_images.TABLE)["version"],
                               shipped_toml(pin_base_images.__file__, pin_base_images.TABLE)["pins"])
    version, table = go_version_from_go_mod.golang_tags()
    assert version == shipped_toml(go_version_from_go_mod.__file__, go_version_from_go_mod.TABLE)["version"]
    assert 22 in table
