"""DF012 exec-form-command on what a rule fixture cannot show: a Dockerfile's path in its
repository (a fixture's Dockerfile is always named `Dockerfile`)."""
from __future__ import annotations

import fixer
from fixer.context import BuildContext
from fixer.rules import find_rule
from fixer.rules.base import SAFE

SHELL_FORM_CMD = "FROM alpine:3.20\nCOPY server /server\nCMD /server --port 8080\n"


def _findings(tmp_path, relative: str):
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SHELL_FORM_CMD)
    result = fixer.fix(SHELL_FORM_CMD, rules=[find_rule("DF012")], unsafe_fixes=True,
                       context=BuildContext(path.parent, path))
    return result.applied + result.remaining


def test_an_example_image_is_reported_without_a_fix(tmp_path):
    [finding] = _findings(tmp_path, "examples/echo/Dockerfile")
    assert finding.fix is None
    assert finding.reason.startswith("examples/echo/Dockerfile lies under examples/")


def test_a_template_is_reported_without_a_fix(tmp_path):
    [finding] = _findings(tmp_path, "Dockerfile.tmpl")
    assert finding.fix is None and finding.reason.startswith("Dockerfile.tmpl looks like a template")


def test_the_same_file_where_its_path_says_nothing_is_fixed(tmp_path):
    [finding] = _findings(tmp_path, "build/Dockerfile")
    assert finding.fix.applicability == SAFE
    assert finding.evidence == ("alpine:3.20 has no ENTRYPOINT: the CMD runs as it is",)
