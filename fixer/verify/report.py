"""The text form of a verify report (the JSON form is VerifyReport.to_json)."""
from __future__ import annotations


def format_report(report) -> str:
    lines = [f"{report.path}: built with {report.engine} from {report.context}"]
    if report.rules:
        lines.append(f"  fixes applied: {', '.join(report.rules)}")
    if report.note:
        lines.append(f"  {report.note}")
    if report.before and report.after:
        lines.append(f"  size     {_size(report.before.size)} → {_size(report.after.size)}")
        lines.append(f"  layers   {report.before.layers} → {report.after.layers}")
        lines.append(f"  build    {report.before.seconds:.1f} s → {report.after.seconds:.1f} s")
        if report.before.rebuild_seconds is not None:
            lines.append(f"  rebuild after a source change  {report.before.rebuild_seconds:.1f} s → "
                         f"{report.after.rebuild_seconds:.1f} s")
    for difference in report.differences:
        why = f"explained by {', '.join(difference.explained_by)}" if difference.explained else "NOT EXPLAINED"
        lines.append(f"  {difference.field}: {_short(difference.before)} → {_short(difference.after)} ({why})")
    for check in report.checks:
        mark = "ok  " if check.passed else "FAIL"
        lines.append(f"  [{mark}] {check.name}" + (f": {check.detail}" if check.detail else ""))
    lines.append("  verified" if report.passed and report.checks else
                 ("  nothing to verify" if not report.checks else "  NOT verified"))
    return "\n".join(lines)


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
