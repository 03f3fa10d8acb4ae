"""The inputs dockerfix exists for: 75 real naive Dockerfiles from ../shared/history, each
with what its maintainers changed next.

Every `before` file (and every `after` file) is fixed with a build context made from the
pair's facts (its go.mod, go.sum where there was one): each output must parse under
BuildKit and be a fixed point. Per smell (the collection's own labels), the test records
how many `before` files dockerfix fixes, by default and with --unsafe-fixes. The smells it
does not fix yet, and the maintainers' fixes it does not make, are explained in
docs/history.md. Print the table with `python tests/test_history.py`.
"""
from __future__ import annotations

import collections
import json
import sys
import tempfile
from pathlib import Path

import dockerfile as buildkit
import pytest
from helpers import SHARED, needs_shared

import fixer
from fixer.context import BuildContext

pytestmark = needs_shared

# Which fixes answer which smell of the collection: a rule id, or a rule id and the start
# of the message of the one fix of that rule that answers it.
SMELL_RULES = {
    "no_user": {"DF005"},  # DF011 carries the user the image had: root stays root
    "consecutive_run": {"DF004", "DF010:`apt-get update` in a RUN of its own"},
    "no_ldflags_sw": {"DF007"},
    "copy_all_before_mod_download": {"DF009"},
    "apk_update": {"DF003"},
    "apk_no_cache": {"DF002"},
    "single_stage_go": {"DF011"},
    "no_cgo_disabled_with_scratch": {"DF006"},
    "latest_tag": {"DF015", "DF016"},          # DF016 (pins) is off by default
    "no_ca_certs_in_alpine_runtime": {"DF017"},
    "shell_form_cmd": {"DF012"},
}

# smell: (files with it, fixed by default, with --unsafe-fixes, with --unsafe-fixes --select ALL).
# Reviewed: see docs/history.md.
EXPECTED = {
    "no_user": (52, 0, 47, 47),  # DF005 is safe only with the Go program read (issue 17); WORKDIR /root: no fix
    "latest_tag": (35, 0, 0, 20),  # DF015: `latest`, variant-only tags left alone; toolchain lines no minimum
    # DF004: shipped stages only, never across a comment, only merges that gain something (issue 17):
    # kratos' `mkdir -p /var/lib/sqlite` + `chown`, the one left, is a merge its maintainers did not make
    "consecutive_run": (34, 0, 0, 0),
    "no_ldflags_sw": (33, 26, 27, 27),  # DF007: not in delve debug images (headscale Dockerfile.integration)
    "no_ca_certs_in_alpine_runtime": (18, 0, 0, 0),  # DF017: alpine 3.7+ has the bundle; the apk add was a no-op for Go
    "copy_all_before_mod_download": (15, 14, 14, 14),  # DF009: golang-migrate builds in GOPATH mode (Go 1.12)
    "apk_update": (8, 1, 1, 1),  # DF003: 7 are in builder stages whose index is left behind (issue 17 review)
    "apk_no_cache": (6, 3, 3, 3),  # DF002: likewise 3 builder stages
    "single_stage_go": (4, 0, 3, 3),
    "shell_form_cmd": (2, 1, 1, 1),
    "no_cgo_disabled_with_scratch": (1, 0, 0, 0),
}


def history_pairs() -> list[Path]:
    return sorted(path.parent for path in (SHARED / "history").glob("*/meta.json"))


def context_for(pair: Path, root: Path) -> BuildContext:
    meta = json.loads((pair / "meta.json").read_text())
    context = root / pair.name
    context.mkdir(parents=True, exist_ok=True)
    if (pair / "go.mod").exists():
        (context / "go.mod").write_bytes((pair / "go.mod").read_bytes())
    if meta.get("has_go_sum_at_before"):
        (context / "go.sum").touch()
    if meta.get("has_vendor"):
        (context / "vendor").mkdir(exist_ok=True)
        (context / "vendor" / "modules.txt").touch()
    return BuildContext(context)


def smell_table(root: Path) -> dict[str, tuple[int, int, int, int]]:
    counts = collections.defaultdict(lambda: [0, 0, 0, 0])
    for pair in history_pairs():
        meta = json.loads((pair / "meta.json").read_text())
        context = context_for(pair, root)
        text = (pair / "before.Dockerfile").read_text(encoding="utf-8")
        safe = _answers(fixer.fix(text, context=context).applied)
        unsafe = _answers(fixer.fix(text, context=context, unsafe_fixes=True).applied)
        everything = _answers(fixer.fix(text, context=context, unsafe_fixes=True, select=["ALL"]).applied)
        for smell in meta["smells_before"]:
            rules = SMELL_RULES[smell]
            counts[smell][0] += 1
            counts[smell][1] += bool(rules & safe)
            counts[smell][2] += bool(rules & unsafe)
            counts[smell][3] += bool(rules & everything)
    return {smell: tuple(values) for smell, values in counts.items()}


def _answers(diagnostics) -> set[str]:
    """The SMELL_RULES keys the applied fixes match."""
    found = set()
    for diagnostic in diagnostics:
        found.add(diagnostic.rule.id)
        for rules in SMELL_RULES.values():
            found.update(key for key in rules if ":" in key and key.split(":", 1)[0] == diagnostic.rule.id
                         and diagnostic.message.startswith(key.split(":", 1)[1]))
    return found


@pytest.mark.parametrize("unsafe", [False, True], ids=["default", "unsafe-fixes"])
def test_every_output_is_valid_and_a_fixed_point(tmp_path, unsafe):
    changed = 0
    for pair in history_pairs():
        context = context_for(pair, tmp_path)
        for name in ("before.Dockerfile", "after.Dockerfile"):
            text = (pair / name).read_text(encoding="utf-8")
            result = fixer.fix(text, context=context, unsafe_fixes=unsafe)
            buildkit.parse_string(result.output)
            again = fixer.fix(result.output, context=context, unsafe_fixes=unsafe)
            assert again.output == result.output, pair / name
            changed += result.changed
    assert changed > 0


def test_fixes_per_smell_are_the_reviewed_ones(tmp_path):
    assert smell_table(tmp_path) == EXPECTED


if __name__ == "__main__":
    table = smell_table(Path(tempfile.mkdtemp()))
    sys.stdout.write(f"{'smell':32} {'files':>5} {'fixed':>5} {'unsafe':>6} {'all':>4}\n")
    for smell, (files, fixed, unsafe, everything) in sorted(table.items(), key=lambda item: -item[1][0]):
        sys.stdout.write(f"{smell:32} {files:5} {fixed:5} {unsafe:6} {everything:4}\n")
