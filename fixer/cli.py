"""The `dockerfix` command.

    dockerfix [PATH]...            show the diff of what would change (writes nothing)
    dockerfix --write [PATH]...    fix the files in place
    dockerfix --check [PATH]...    exit 1 if anything would change or a finding remains
    dockerfix - < Dockerfile       fix standard input, print the result
    dockerfix verify PATH          build the original and the fixed file, and compare them

Exit codes: 0 nothing to change (or changes written), 1 changes needed under --check (or
written, with --exit-non-zero-on-fix), 2 usage, configuration, parse or I/O error. One
bad file does not stop the others and is never written.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys

from . import __version__
from .config import RUNTIME_BASES
from .console import HelpFormatter, echo, split_names, style

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "concise", "json", "sarif", "github")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockerfix", usage="%(prog)s [options] [PATH ...]", allow_abbrev=False, formatter_class=HelpFormatter,
        description="Fix Dockerfiles and Compose files: lossless, BuildKit's grammar, Go-aware.",
        epilog="`dockerfix verify PATH` builds a Dockerfile before and after fixing (see its --help).")
    add = parser.add_argument
    add("paths", nargs="*", metavar="PATH", help="Dockerfiles, Compose files and directories to search; - for "
                                                 "standard input.")
    add("-w", "--write", action="store_true", help="Fix the files in place.")
    add("--check", action="store_true", help="Write nothing; exit 1 if a file would change or a finding remains.")
    add("--diff", dest="show_diff", action="store_true", help="With --check: also print the diffs.")
    add("--select", action="append", default=[], metavar="RULES",
        help="Only these rules (ids or names, comma-separated; ALL).")
    add("--extend-select", action="append", default=[], metavar="RULES", help="Rules to add to the selection.")
    add("--ignore", action="append", default=[], metavar="RULES", help="Leave these rules out.")
    add("--unsafe-fixes", action="store_const", const=True, default=None,
        help="Also apply fixes that are not proven safe.")
    add("--runtime-base", choices=RUNTIME_BASES,
        help="The base of runtime stages dockerfix writes (go-multi-stage); default alpine.")
    add("--context", dest="context_dir", metavar="DIR",
        help="The build context (default: the Dockerfile's directory, or the nearest ancestor with go.mod where "
             "its COPY sources resolve).")
    add("--config", dest="config_file", metavar="FILE",
        help="Use this configuration file for every file (default: the nearest .dockerfix.toml or pyproject.toml "
             "with [tool.dockerfix]).")
    add("--isolated", action="store_true", help="Ignore all configuration files.")
    add("--output-format", choices=FORMATS, default="text", help="How findings are reported (default: text).")
    add("--exit-non-zero-on-fix", action="store_true", help="With --write: exit 1 when a file was changed.")
    add("--color", choices=("auto", "always", "never"), default="auto",
        help="Colour the text output (default: auto, on a terminal unless NO_COLOR is set).")
    add("-j", "--jobs", type=positive_number, metavar="N", help="Fix N files at a time (default: the number of cores).")
    add("--extend-exclude", action="append", default=[], metavar="PATTERNS",
        help="Leave these out of directory searches too (globs relative to the current directory, comma-separated).")
    add("--force-exclude", action="store_true",
        help="Leave out named files a directory search would (.gitignore, extend-exclude, node_modules, ...).")
    add("-v", "--verbose", action="store_true",
        help="Say which build context each file was fixed with, and what each fix rests on.")
    add("--stdin-filename", metavar="NAME", help="The name of standard input in messages.")
    add("--list-rules", action="store_true", help="List the rules and exit.")
    add("--explain", metavar="RULE", help="Show a rule's documentation and exit.")
    add("--version", action="version", version=f"dockerfix {__version__}")
    return parser


def positive_number(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def main(argv: list[str]) -> int:
    """Run `dockerfix ARGV…`; returns the exit code (usage errors exit 2 through argparse)."""
    parser = build_parser()
    args = parser.parse_intermixed_args(argv)
    try:
        return _main(args)
    except UsageError as error:
        parser.error(str(error))


class UsageError(Exception):
    """A command line that cannot be run: reported with the usage, exit 2."""


def _main(args: argparse.Namespace) -> int:
    from .config import ConfigError
    from .rules import UnknownRule, find_rule
    from .run import Overrides, SettingsFinder, default_jobs

    if args.list_rules:
        _list_rules()
        return EXIT_OK
    if args.explain:
        try:
            rule = find_rule(args.explain)
        except UnknownRule as error:
            raise UsageError(str(error)) from None
        echo(f"{rule.id} {rule.name}: {rule.summary}\n\n{rule.doc.split(chr(10), 1)[1].strip()}")
        return EXIT_OK
    if args.write and args.check:
        raise UsageError("--write and --check exclude each other")
    if not args.paths:
        raise UsageError("name at least one file or directory, or - for standard input")
    if args.context_dir is not None and not os.path.isdir(args.context_dir):
        raise UsageError(f"--context {args.context_dir}: no such directory")
    select, extend_select, ignore = (split_names(args.select), split_names(args.extend_select),
                                     split_names(args.ignore))
    try:
        for name in select + extend_select + ignore:
            if name.upper() != "ALL":
                find_rule(name)
    except UnknownRule as error:
        raise UsageError(str(error)) from None
    overrides = Overrides(select=select or None, extend_select=extend_select, ignore=ignore,
                          unsafe_fixes=args.unsafe_fixes, runtime_base=args.runtime_base,
                          context=os.path.abspath(args.context_dir) if args.context_dir else None,
                          config=args.config_file, isolated=args.isolated,
                          extend_exclude=split_names(args.extend_exclude))
    output = _Output(args.output_format, _use_color(args.color), args.write, args.check, args.show_diff,
                     args.verbose)
    try:
        finder = SettingsFinder(overrides)
        if args.paths == ["-"]:
            return _run_stdin(args.stdin_filename or "-", finder, output)
        if "-" in args.paths:
            raise UsageError("- (standard input) cannot be combined with other paths")
        return _run_paths(args.paths, finder, output, args.jobs or default_jobs(), args.force_exclude,
                          args.exit_non_zero_on_fix)
    except ConfigError as error:
        echo(f"dockerfix: error: {error}", err=True)
        return EXIT_ERROR


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _list_rules() -> None:
    from .rules import ALL_RULES

    for rule in ALL_RULES:
        state = "on" if rule.default else "off"
        echo(f"{rule.id}  {rule.name:<26} {state:<4} {rule.fix_safety:<7} {rule.summary}")


class _Output:
    """Where each part of a run's report goes, in the chosen format."""

    def __init__(self, fmt: str, color: bool, write: bool, check: bool, show_diff: bool, verbose: bool):
        self.format, self.color, self.write, self.check = fmt, color, write, check
        self.show_diff, self.verbose = show_diff, verbose

    @property
    def text(self) -> bool:
        return self.format == "text"

    def diffs_wanted(self) -> bool:
        return self.show_diff or (self.text and not (self.write or self.check))

    def diff(self, text: str) -> None:
        if self.color:
            text = "".join(_color_diff_line(line) for line in text.splitlines(keepends=True))
        sys.stdout.write(text)

    def finding(self, path: str, finding, fixed: bool) -> None:
        if not self.text:
            return
        from .report.text import finding_line

        rule = style(finding.rule_id, fg="yellow", bold=True) if self.color else None
        echo(finding_line(path, finding, fixed, rule), err=not self.check)
        for fact in finding.evidence if self.verbose else ():
            echo(f"    evidence: {fact}", err=not self.check)

    def error(self, path: str, message: str, line: int = 0) -> None:
        from .report.text import error_line

        echo(error_line(path, message, line), err=True)

    def note(self, message: str) -> None:
        if self.verbose or self.text:
            echo(message, err=True)


def _color_diff_line(line: str) -> str:
    if line.startswith(("+++", "---")):
        return style(line, bold=True)
    if line.startswith("+"):
        return style(line, fg="green")
    if line.startswith("-"):
        return style(line, fg="red")
    if line.startswith("@@"):
        return style(line, fg="cyan")
    return line


def _run_stdin(name: str, finder, output: _Output) -> int:
    from .files import FileError, decode
    from .report.diff import unified_diff
    from .report.text import finding_line

    data = sys.stdin.buffer.read()
    settings = finder.for_path(name if name != "-" else os.path.join(os.getcwd(), "Dockerfile"))
    try:
        text = decode(data)
    except FileError as error:
        output.error(name, error.message, error.line)
        return EXIT_ERROR
    result = _fix_stdin(name, text, settings)
    if result.error:
        output.error(name, result.error, result.error_line)
        return EXIT_ERROR
    if output.verbose and result.context:
        echo(f"{name}: build context {result.context} ({result.context_how})", err=True)
    if not output.text:
        _machine_report([result], output, finder)
    for finding in result.applied if output.check and output.text else ():  # stdout is for the text itself
        echo(finding_line(name, finding), err=True)
    for finding in result.remaining if output.text else ():
        echo(finding_line(name, finding), err=True)
    for change in result.files:
        echo(f"{name}: would also {'create' if change.before is None else 'change'} {change.path} "
                   "(not written from standard input)", err=True)
    changed = result.changed or bool(result.files)
    if output.check:
        if output.show_diff and result.changed:
            sys.stdout.write(unified_diff(text, result.output, name))
        return EXIT_CHANGES if changed or result.remaining else EXIT_OK
    if output.text:
        if output.show_diff:
            sys.stdout.write(unified_diff(text, result.output, name))
        else:
            sys.stdout.buffer.write(result.output.encode("utf-8"))
    return EXIT_OK


def _fix_stdin(name: str, text: str, settings):
    """Fix standard input, with the build context of the path `--stdin-filename` names."""
    from .run import fix_text

    known = name != "-" and os.path.isdir(os.path.dirname(os.path.abspath(name)))
    return fix_text(name, text, settings, with_context=known)


def _run_paths(paths: list[str], finder, output: _Output, jobs: int, force_exclude: bool,
               exit_non_zero_on_fix: bool) -> int:
    from .files import discover
    from .run import FileResult, fix_files

    found, path_errors = discover(paths, force_exclude=force_exclude, excluded=finder.excluded)
    for name, message in path_errors:
        output.error(name, message)
    progress = _progress_bar() if output.text and sys.stderr.isatty() and len(found) >= 20 else None
    results = fix_files([str(path) for path in found], finder, jobs, progress)
    if progress:
        echo("\r" + " " * 40 + "\r", nl=False, err=True)
    written = _apply(results, output)
    context_files = _context_files(results, output)
    all_results = results + [FileResult(name, error=message) for name, message in path_errors]
    if not output.text:
        _machine_report(all_results, output, finder)
    else:
        _summary(results, context_files, len(path_errors), output)
    if path_errors or any(result.error for result in results) or any(c.error for c in context_files):
        return EXIT_ERROR
    if output.check and any(r.changed or r.remaining for r in results) or (output.check and context_files):
        return EXIT_CHANGES
    if output.write and exit_non_zero_on_fix and (written or context_files):
        return EXIT_CHANGES
    return EXIT_OK


def _progress_bar():
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", nl=False, err=True)
    return show


def _apply(results, output: _Output) -> int:
    """Report each file in the text format, write it with --write; returns how many were written."""
    from .files import FileError, SourceFile, write_atomically

    written = 0
    for result in results:
        if result.error:
            output.error(result.path, result.error, result.error_line)
            continue
        if output.verbose:
            echo(f"{result.path}: build context {result.context} ({result.context_how})", err=True)
        if output.check:
            for finding in result.applied:
                output.finding(result.path, finding, False)
        for finding in result.remaining:  # written: where it is in the file now
            output.finding(result.path, _as_written(finding) if output.write else finding, False)
        if result.changed and output.diffs_wanted():
            from .report.diff import unified_diff

            output.diff(unified_diff(result.source, result.output, result.path))
        if output.write and result.changed:
            try:
                write_atomically(SourceFile(result.path, result.source, result.mode), result.output)
                written += 1
            except FileError as error:
                output.error(result.path, error.message)
                result.error, result.output = error.message, result.source
    return written


def _as_written(finding):
    from .records import replace

    shift = finding.output_line - finding.line
    return replace(finding, line=finding.output_line, end_line=finding.end_line + shift)


class _ContextFile:
    def __init__(self, path: str, change, error: str | None = None):
        self.path, self.change, self.error = path, change, error


def _context_files(results, output: _Output) -> list[_ContextFile]:
    """Show or write the context files (.dockerignore) the fixes asked for, once each."""
    from .files import FileError, write_context_file
    from .rules import merge_file_changes

    merged = merge_file_changes(change for result in results for change in result.files)
    done = []
    for absolute, change in merged.items():
        if change.after == (change.before or ""):
            continue
        relative = os.path.relpath(absolute)
        path = absolute if relative.startswith("..") else relative
        item = _ContextFile(path, change)
        if output.diffs_wanted():
            from .report.diff import unified_diff

            output.diff(unified_diff(change.before, change.after, path))
        if output.check and output.text:
            echo(f"{path}: would be {'created' if change.before is None else 'changed'}")
        if output.write:
            try:
                write_context_file(absolute, change.before, change.after)
            except FileError as error:
                output.error(path, error.message)
                item.error = error.message
        done.append(item)
    return done


def _summary_data(results, context_files, path_errors: int) -> dict:
    import collections

    by_rule = collections.Counter(f.rule_id for r in results if r.changed or r.files for f in r.applied)
    return {"files": len(results), "changed": sum(r.changed for r in results),
            "context_files": len(context_files),
            "errors": sum(bool(r.error) for r in results) + path_errors + sum(bool(c.error) for c in context_files),
            "findings": sum(len(r.remaining) for r in results), "fixes_by_rule": dict(sorted(by_rule.items()))}


def _summary(results, context_files, path_errors: int, output: _Output) -> None:
    data = _summary_data(results, context_files, path_errors)
    changed, fixes = data["changed"] + data["context_files"], sum(data["fixes_by_rule"].values())
    verb = "fixed" if output.write else "would be fixed"
    unchanged = data["files"] - data["changed"] - sum(bool(r.error) for r in results)
    parts = [f"{changed} file{'s' * (changed != 1)} {verb} ({fixes} fix{'es' * (fixes != 1)})",
             f"{unchanged} left unchanged"]
    if data["findings"]:
        parts.append(f"{data['findings']} finding{'s' * (data['findings'] != 1)} without an automatic fix")
    if data["errors"]:
        parts.append(f"{data['errors']} error{'s' * (data['errors'] != 1)}")
    echo("dockerfix: " + ", ".join(parts), err=True)
    if fixes and (output.verbose or data["files"] > 1):
        echo("dockerfix: fixes by rule: " + ", ".join(f"{rule} {count}" for rule, count
                                                            in data["fixes_by_rule"].items()), err=True)


def _machine_report(results, output: _Output, finder) -> None:
    from .report import formats

    written = output.write
    if output.format == "concise":
        sys.stdout.write(formats.concise(results, written))
    elif output.format == "json":
        sys.stdout.write(formats.as_json(results, written, _summary_data(results, [], 0)))
    elif output.format == "sarif":
        from .rules import ALL_RULES  # the Compose rules too: imported only for SARIF's rule list

        sys.stdout.write(formats.sarif(results, written, ALL_RULES))
    elif output.format == "github":
        sys.stdout.write(formats.github(results, written))


def entry() -> None:
    """`dockerfix verify …` or `dockerfix [PATH]…` (the console script is fixer.__main__.entry)."""
    gc.freeze()  # what is imported lives until the end: later collections need not look at it
    for stream in (sys.stdout, sys.stderr):  # a path that is not UTF-8 is printed as the bytes it is
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    try:
        if sys.argv[1:2] == ["verify"]:
            from .verify.cli import main as verify

            sys.exit(verify(sys.argv[2:]))
        code = main(sys.argv[1:])
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `dockerfix … | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is quiet
        code = 1  # what Python's documentation suggests for a closed pipe
    except KeyboardInterrupt:
        code = 130  # as a shell reports an interrupted command; files are written atomically or not at all
    except Exception as error:  # noqa: BLE001 - a bug must not look like "changes needed" (exit 1)
        sys.stderr.write(f"dockerfix: internal error: {error.__class__.__name__}: {error} (please report it)\n")
        sys.stderr.flush()
        code = 2
    else:
        # All is said and written: files are written and closed as they are fixed, a worker pool
        # is shut down before main returns, and nothing is registered to run at exit. Tearing the
        # interpreter down would free every tree and cache one object at a time: an eighth of a
        # corpus run's wall time, for nothing.
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
