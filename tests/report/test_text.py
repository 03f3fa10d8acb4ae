"""The text line of a finding: the message says what is wrong, the bracket after it how it is fixed."""
import pytest

from fixer.report.text import finding_line, fix_status
from fixer.run import Finding


def finding(fix, reason=""):
    return Finding("DF005", "non-root-user", 9, 9, "the final stage runs as root", fix, reason=reason, column=1)


@pytest.mark.parametrize("fix, reason, fixed, line", [
    ("safe", "", False, "Dockerfile:9:1: DF005 warning: the final stage runs as root [*]"),
    ("safe", "", True, "Dockerfile:9:1: DF005 warning: the final stage runs as root [fixed]"),
    ("unsafe", "", False, "Dockerfile:9:1: DF005 warning: the final stage runs as root [unsafe fix: --unsafe-fixes]"),
    ("unsafe", "it may write /data", False,
     "Dockerfile:9:1: DF005 warning: the final stage runs as root [unsafe fix (--unsafe-fixes): it may write /data]"),
    (None, "the base sets a user", False,
     "Dockerfile:9:1: DF005 warning: the final stage runs as root [not fixed: the base sets a user]"),
    (None, "", False, "Dockerfile:9:1: DF005 warning: the final stage runs as root"),
])
def test_the_fix_and_its_reason_follow_the_message(fix, reason, fixed, line):
    assert finding_line("Dockerfile", finding(fix, reason), fixed) == line


def test_formats_that_show_the_reason_apart_get_it_without_the_message():
    assert fix_status("unsafe", "it may write /data") == "unsafe fix: it may write /data"
    assert fix_status(None, "the base sets a user") == "not fixed: the base sets a user"
    assert fix_status("safe", "") == fix_status(None, "") == ""
