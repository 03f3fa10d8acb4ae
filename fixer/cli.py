"""The `dockerfix` command.

    dockerfix [PATH]...            show the diff of what would change (writes nothing)
    dockerfix --write [PATH]...    fix the files in place
    dockerfix --check [PATH]...    exit 1 if anything would change or a finding at --fail-level remains
    dockerfix - < Dockerfile       fix standard input, print the result
    dockerfix verify PATH          build the original and the fixed file, and compare them
    dockerfix server               the language server, for editors

Findings go to standard output in every mode (or to `-o FILE`), sorted by file and line; the
summary, progress, warnings and errors go to standard error. Only standard input printed
fixed is different: there standard output is the fixed text, and the findings go with the
summary. A flag that does nothing with the others given says so (a warning), and a
mistyped option, rule, choice or subcommand gets a "did you mean".

Exit codes: 0 nothing to change (or changes written), 1 under --check a file would change or
a finding at or above --fail-level remains (or, with --write --exit-non-zero-on-fix, a file
was changed), 2 usage, configuration, parse or I/O error. --exit-zero makes 1 a 0. One bad
file does not stop the others and is never written.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys

from . import __version__
from .config import FAIL_LEVELS, RUNTIME_BASES
from .console import ArgumentParser, HelpFormatter, echo, rule_hint, shown_path, split_names, style

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "rdjson", "junit", "checkstyle")
SHELLS = ("bash", "zsh", "fish")
# Each dispatched in entry() to its own module, which parses the rest of the command line
SUBCOMMANDS = {
    "verify": ("PATH", "build PATH as it is and as fixed, and compare the images"),
    "server": ("", "the language server (LSP over standard input and output), for editors"),
}
EXAMPLES = (
    ("dockerfix .", "show what would change in the files under the current directory"),
    ("dockerfix --write Dockerfile", "fix a file in place"),
    ("dockerfix --check --statistics .", "count the findings per rule; exit 1 if there are any"),
    ("dockerfix --check --fail-level error .", "fail only on a file that would change, or an error left"),
    ("dockerfix --check -o report.txt .", "the findings in a file, the summary on the terminal"),
    ("dockerfix --show-settings Dockerfile", "the configuration, build context and rules a file gets"),
    ("dockerfix --explain apk-no-cache", "what a rule fixes, and why"),
    ("dockerfix - < Dockerfile", "fix standard input, print the fixed text"),
    ("dockerfix --completion bash", "the shell completion script (bash, zsh or fish)"),
)
EXIT_CODES = (
    ("0", "nothing to change, or the changes were written"),
    ("1", "--check: a file would change, or a finding at or above --fail-level remains; "
          "--write --exit-non-zero-on-fix: a file was changed (--exit-zero: 0 instead)"),
    ("2", "a usage, configuration, parse or I/O error (one bad file does not stop the others)"),
    ("130", "interrupted (Ctrl-C): a file is written whole or not at all"),
)


def _epilog() -> str:
    def table(rows) -> str:
        width = max(len(left) for left, _ in rows)
        return "\n".join(f"  {left:<{width}}  {right}" for left, right in rows)

    commands = [(f"dockerfix {name} {arguments}".rstrip(), summary)
                for name, (arguments, summary) in SUBCOMMANDS.items()]
    return (f"commands (each with its own --help):\n{table(commands)}\n\nexamples:\n{table(EXAMPLES)}\n\n"
            f"exit codes:\n{table(EXIT_CODES)}\n\n"
            "Findings go to standard output (or -o FILE), sorted by file and line; the summary, progress, warnings "
            "and errors to standard error.")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="dockerfix", allow_abbrev=False, formatter_class=HelpFormatter,
        usage="%(prog)s [options] [PATH ...]" + "".join(f"\n       %(prog)s {name} [options] {arguments}".rstrip()
                                                      for name, (arguments, _) in SUBCOMMANDS.items()),
        description="Fix Dockerfiles and Compose files: lossless, BuildKit's grammar, Go-aware.", epilog=_epilog())
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="Dockerfiles, Compose files and directories to search; - for standard input.")
    add = parser.add_argument_group("what to do").add_argument
    add("-w", "--write", action="store_true", help="Fix the files in place.")
    add("--check", action="store_true",
        help="Write nothing; exit 1 if a file would change or a finding at or above --fail-level remains.")
    add("--diff", dest="show_diff", action="store_true",
        help="With --check or --write: also print the diffs (a plain run prints them anyway; "
             "with - it prints a diff, not the fixed text).")
    add("--unsafe-fixes", action="store_const", const=True, default=None,
        help="Also apply fixes that are not proven safe.")
    add("--exit-non-zero-on-fix", action="store_true", help="With --write: exit 1 when a file was changed.")
    add("--fail-level", choices=FAIL_LEVELS, metavar="LEVEL",
        help="With --check: the least severe finding left unfixed that fails it: error, warning, info, style, or "
             "none (only a file that would change fails it); over the configuration's fail-level and "
             ".hadolint.yaml's failure-threshold; default warning.")
    add("--exit-zero", action="store_true",
        help="Exit 0 even when --check finds something (errors still exit 2).")
    add = parser.add_argument_group("rules").add_argument
    add("--select", action="append", default=[], metavar="RULES",
        help="Only these rules (ids or names, comma-separated; ALL).")
    add("--extend-select", action="append", default=[], metavar="RULES", help="Rules to add to the selection.")
    add("--ignore", action="append", default=[], metavar="RULES", help="Leave these rules out.")
    add("--runtime-base", choices=RUNTIME_BASES,
        help="The base of runtime stages dockerfix writes (go-multi-stage); default alpine.")
    add = parser.add_argument_group("files and settings").add_argument
    add("--context", dest="context_dir", metavar="DIR",
        help="The build context (default: the Dockerfile's directory, or the nearest ancestor with go.mod where "
             "its COPY sources resolve).")
    add("--config", dest="config_file", metavar="FILE",
        help="Use this configuration file for every file (default: the nearest .dockerfix.toml or pyproject.toml "
             "with [tool.dockerfix]).")
    add("--isolated", action="store_true", help="Ignore all configuration files.")
    add("--exclude", action="append", metavar="PATTERNS",
        help="Leave these out of directory searches instead of the default exclusions (.git, node_modules, "
             "testdata, fixtures, vendored modules, ...; globs relative to the current directory, comma-separated).")
    add("--extend-exclude", action="append", default=[], metavar="PATTERNS",
        help="Leave these out of directory searches too (globs relative to the current directory, comma-separated).")
    add("--force-exclude", action="store_true",
        help="Leave out named files a directory search would (.gitignore, exclusions, node_modules, ...).")
    add("--stdin-filename", metavar="NAME", help="The name of standard input in messages.")
    add("-j", "--jobs", type=positive_number, metavar="N", help="Fix N files at a time (default: the number of cores).")
    output = parser.add_argument_group("output")
    add = output.add_argument
    add("--output-format", choices=FORMATS, default="text", metavar="FORMAT",
        help=f"How findings are reported: {', '.join(FORMATS[:-1])} or {FORMATS[-1]} (default: text).")
    add("-o", "--output-file", metavar="FILE",
        help="Write the report to FILE instead of standard output (replaced in one step, when the run is over).")
    add("--statistics", action="store_true",
        help="Count the findings per rule instead of listing them (with --write: those left).")
    add("--show-fixes", action="store_true", help="List the fixes made (or, without --write, to make) in each file.")
    loudness = output.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true",
                          help="Print findings and errors only: no summary, progress or warnings.")
    loudness.add_argument("-v", "--verbose", action="store_true",
                          help="Say which build context each file was fixed with, and what each fix rests on.")
    add("--color", choices=("auto", "always", "never"),
        help="Colour the text output (default: auto, on a terminal unless NO_COLOR is set).")
    information = parser.add_argument_group("information (print it and exit)").add_mutually_exclusive_group()
    add = information.add_argument
    add("--show-settings", action="store_true",
        help="Show the settings each PATH gets: configuration file, build context and why, rules, options.")
    add("--list-rules", action="store_true", help="List the rules.")
    add("--explain", metavar="RULE", help="Show a rule's documentation.")
    add("--completion", choices=SHELLS, metavar="SHELL",
        help="Print the completion script for SHELL (bash, zsh or fish).")
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
        if args.output_file not in (None, "-"):
            return _reporting_to_file(args.output_file, lambda: _main(args))
        return _main(args)
    except UsageError as error:
        parser.error(str(error))


class UsageError(Exception):
    """A command line that cannot be run: reported with the usage, exit 2."""


def split_subcommand(argv: list[str]) -> tuple[str | None, list[str]]:
    """(subcommand, its arguments) when the first PATH names one — `dockerfix verify X`, or
    after options: `dockerfix --isolated verify X` (those options go to the subcommand) —
    else (None, argv). A file by a subcommand's name is `./verify`."""
    if argv[:1] and argv[0] in SUBCOMMANDS:
        return argv[0], argv[1:]
    if not any(word in SUBCOMMANDS for word in argv):  # the parser is needed only then
        return None, argv
    index = _first_positional(build_parser(), argv)
    if index is None or argv[index] not in SUBCOMMANDS:
        return None, argv
    return argv[index], argv[:index] + argv[index + 1:]


def _first_positional(parser: argparse.ArgumentParser, argv: list[str]) -> int | None:
    taking_values = {string for action in parser._actions if action.nargs != 0  # argparse has no public way
                     for string in action.option_strings}
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            return None  # what follows are paths
        if not word.startswith("-") or word == "-":
            return index
        index += 2 if word in taking_values else 1
    return None


def _main(args: argparse.Namespace) -> int:
    from .config import ConfigError
    from .rules import UnknownRule, find_rule
    from .run import Overrides, SettingsFinder, default_jobs

    if not args.quiet:
        for warning in _idle_flags(args):
            echo(f"dockerfix: warning: {warning}", err=True)
    if args.completion:
        from .completion import shipped_script

        sys.stdout.write(shipped_script(args.completion))
        return EXIT_OK
    if args.list_rules:
        _list_rules()
        return EXIT_OK
    if args.explain:
        try:
            rule = find_rule(args.explain)
        except UnknownRule as error:
            raise UsageError(f"{error}{rule_hint(args.explain)}") from None
        from .report.rules_doc import explanation

        echo(explanation(rule))
        return EXIT_OK
    if args.write and args.check:
        raise UsageError("--write and --check exclude each other")
    if not args.paths:
        raise UsageError("name at least one file or directory, or - for standard input")
    _refuse_a_mistyped_subcommand(args.paths[0])
    if args.context_dir is not None and not os.path.isdir(args.context_dir):
        raise UsageError(f"--context {shown_path(args.context_dir)}: no such directory")
    select, extend_select, ignore = (split_names(args.select), split_names(args.extend_select),
                                     split_names(args.ignore))
    for name in select + extend_select + ignore:
        if name.upper() != "ALL":
            try:
                find_rule(name)
            except UnknownRule as error:
                raise UsageError(f"{error}{rule_hint(name)}") from None
    overrides = Overrides(select=select or None, extend_select=extend_select, ignore=ignore,
                          unsafe_fixes=args.unsafe_fixes, runtime_base=args.runtime_base,
                          context=os.path.abspath(args.context_dir) if args.context_dir else None,
                          config=args.config_file, isolated=args.isolated, fail_level=args.fail_level,
                          exclude=split_names(args.exclude) if args.exclude is not None else None,
                          extend_exclude=split_names(args.extend_exclude),
                          named=_named_files(args))
    output = _Output(args, _use_color(args.color, args.output_file))
    jobs = args.jobs or default_jobs()
    try:
        finder = SettingsFinder(overrides)
        if "-" in args.paths and args.paths != ["-"]:
            raise UsageError("- (standard input) cannot be combined with other paths")
        if args.show_settings:
            return _show_settings(_settings_paths(args), finder, args.output_format, jobs)
        if args.paths == ["-"]:
            return _run_stdin(args.stdin_filename or "-", finder, output)
        return _run_paths(args.paths, finder, output, jobs, args.force_exclude, args.exit_non_zero_on_fix)
    except ConfigError as error:
        echo(f"dockerfix: error: {error}", err=True)
        return EXIT_ERROR


def _named_files(args) -> frozenset[str]:
    """The files the command line names (standard input by --stdin-filename), unless
    --force-exclude asks that they be judged as a search would judge them."""
    if args.force_exclude:
        return frozenset()
    names = [args.stdin_filename] if args.paths == ["-"] and args.stdin_filename else args.paths
    return frozenset(os.path.abspath(name) for name in names if name != "-" and not os.path.isdir(name))


def _refuse_a_mistyped_subcommand(first: str) -> None:
    """`dockerfix verfy x`: a usage error, not "verfy: no such file or directory"."""
    if first.startswith("-") or os.sep in first or os.path.lexists(first):
        return
    from .console import close_match

    meant = close_match(first, SUBCOMMANDS)
    if meant:
        raise UsageError(f"{shown_path(first)}: no such file or directory, nor a command (did you mean "
                         f"`dockerfix {meant}`?)")


def _idle_flags(args: argparse.Namespace) -> list[str]:
    """What each flag given that does nothing with the others would leave unsaid."""
    information = next((flag for flag, given in (("--show-settings", args.show_settings),
                                                 ("--list-rules", args.list_rules), ("--explain", args.explain),
                                                 ("--completion", args.completion)) if given), None)
    fixing = (("--write", args.write), ("--check", args.check), ("--diff", args.show_diff),
              ("--statistics", args.statistics), ("--show-fixes", args.show_fixes),
              ("--exit-non-zero-on-fix", args.exit_non_zero_on_fix), ("--fail-level", args.fail_level),
              ("--exit-zero", args.exit_zero))
    if information:
        shown = ("--fail-level",) if information == "--show-settings" else ()  # it shows the fail level
        idle = [f"{flag} does nothing with {information}" for flag, given in fixing if given and flag not in shown]
        if information == "--show-settings" and args.output_format not in ("text", "json"):
            idle.append(f"--output-format {args.output_format} does nothing with --show-settings (text or json)")
        return idle
    fmt, stdin = args.output_format, args.paths == ["-"]
    reports = fmt not in ("text", "concise", "json")   # a format of its own: no statistics or fixes list
    format_idle = (("--diff", args.show_diff and fmt != "text"), ("--color", args.color and fmt != "text"),
                   ("--show-fixes", args.show_fixes and fmt not in ("text", "concise")),
                   ("--statistics", args.statistics and reports))
    idle = [f"{flag} does nothing with --output-format {fmt}" for flag, given in format_idle if given]
    if args.show_diff and fmt == "text" and not (args.write or args.check or args.statistics or stdin):
        # standard input: the diff instead of the fixed text; --statistics: the diffs it leaves out
        idle.append("--diff does nothing without --check or --write (the diff is what a run without them prints)")
    if args.fail_level and not args.check:
        idle.append("--fail-level does nothing without --check")
    elif args.fail_level and args.exit_zero:
        idle.append("--fail-level does nothing with --exit-zero")
    if args.exit_zero and not (args.check or args.exit_non_zero_on_fix):
        idle.append("--exit-zero does nothing without --check or --exit-non-zero-on-fix")
    if args.exit_non_zero_on_fix and (not args.write or stdin):
        idle.append("--exit-non-zero-on-fix does nothing without --write on files")
    if args.stdin_filename and not stdin:
        idle.append("--stdin-filename does nothing without - (standard input)")
    if stdin:
        idle += [f"{flag} does nothing with - (standard input)" for flag, given in (
            ("--write", args.write), ("--exclude", args.exclude), ("--extend-exclude", args.extend_exclude),
            ("--force-exclude", args.force_exclude), ("--jobs", args.jobs)) if given]
    return idle


def _use_color(choice: str | None, output_file: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or output_file not in (None, "-"):
        return False
    return sys.stdout.isatty()


def _list_rules() -> None:
    from .rules import ALL_RULES

    for rule in ALL_RULES:
        state = "on" if rule.default else "off"
        echo(f"{rule.id}  {rule.name:<28} {state:<4} {rule.fix_safety:<7} {rule.severity:<8} {rule.summary}")


def _reporting_to_file(path: str, run) -> int:
    """Run `run` with what it prints on standard output kept, and written to `path` when it is
    over: the whole report in one step (a temporary file renamed over it), or nothing."""
    import io

    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"--output-file {shown_path(path)}: no such directory {shown_path(directory)}")
    report = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="surrogateescape", newline="")
    saved, sys.stdout = sys.stdout, report
    try:
        code = run()
        report.flush()
    finally:
        sys.stdout = saved
    try:
        _write_whole(path, report.buffer.getvalue())
    except OSError as error:
        echo(f"dockerfix: error: --output-file {shown_path(path)}: cannot write: {error.strerror or error}", err=True)
        return EXIT_ERROR
    return code


def _write_whole(path: str, data: bytes) -> None:
    """Replace (or create) the file `path` with `data` in one step, keeping the mode it has."""
    import stat
    import tempfile

    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.",
                                         suffix=".dockerfix")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            os.fchmod(file.fileno(), mode)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


class _Output:
    """Where each part of a run's report goes, in the chosen format."""

    def __init__(self, args: argparse.Namespace, color: bool):
        self.format, self.color, self.write, self.check = args.output_format, color, args.write, args.check
        self.show_diff, self.verbose, self.quiet = args.show_diff, args.verbose, args.quiet
        self.statistics, self.show_fixes = args.statistics, args.show_fixes
        self.fail_level, self.exit_zero = args.fail_level, args.exit_zero   # None: each file's (Settings)
        self.findings_to_stderr = False  # standard input printed fixed: standard output is the text

    @property
    def text(self) -> bool:
        return self.format == "text"

    @property
    def lines(self) -> bool:
        """A format of one line per finding, to which the summaries of --statistics and
        --show-fixes can be added as text."""
        return self.format in ("text", "concise")

    def diffs_wanted(self) -> bool:
        return self.text and (self.show_diff or not (self.write or self.check or self.statistics))

    def diff(self, text: str) -> None:
        if self.color:
            text = "".join(_color_diff_line(line) for line in text.splitlines(keepends=True))
        sys.stdout.write(text)

    def finding(self, path: str, finding) -> None:
        if not self.text or self.statistics:
            return
        from .report.text import finding_line

        rule = style(finding.rule_id, fg="yellow", bold=True) if self.color else None
        echo(finding_line(path, finding, False, rule), err=self.findings_to_stderr)
        for fact in finding.evidence if self.verbose else ():
            echo(f"    evidence: {fact}", err=self.findings_to_stderr)

    def error(self, path: str, message: str, line: int = 0) -> None:
        from .report.text import error_line

        echo(error_line(path, message, line), err=True)

    def note(self, message: str) -> None:
        """What goes with the summary (standard error), unless --quiet."""
        if not self.quiet:
            echo(message, err=True)

    def report(self, text: str) -> None:
        """What goes with the findings: the statistics, the fixes made."""
        if self.findings_to_stderr:
            echo(text, nl=False, err=True)
        else:
            sys.stdout.write(text)


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


def _shown_findings(result, output: _Output) -> list:
    """A file's finding lines in the text format, by line: with --check, what would be fixed and
    what would not; with --write, what is left, where it is now; else what the diff cannot show."""
    if output.check:
        findings = result.applied + result.remaining
    elif output.write:
        findings = [_as_written(finding) for finding in result.remaining]
    else:
        findings = result.remaining
    return sorted(findings, key=lambda finding: (finding.line, finding.column, finding.rule_id))


def _run_stdin(name: str, finder, output: _Output) -> int:
    from .files import FileError
    from .report.diff import unified_diff
    from .run import decode_source

    data = sys.stdin.buffer.read()
    settings = finder.for_path(name if name != "-" else os.path.join(os.getcwd(), "Dockerfile"))
    try:
        text = decode_source(data, name)
    except FileError as error:
        output.error(name, error.message, error.line)
        return EXIT_ERROR
    result = _fix_stdin(name, text, settings)
    if result.error:
        output.error(name, result.error, result.error_line)
        return EXIT_ERROR
    output.findings_to_stderr = output.text and not (output.check or output.show_diff)
    if output.verbose and result.context:
        echo(f"{shown_path(name)}: build context {shown_path(result.context)} ({result.context_how})", err=True)
    if output.lines and output.statistics:
        output.report(_statistics_table([result], output.write))
    elif not output.text:
        _machine_report([result], output)
    for finding in _shown_findings(result, output):
        output.finding(name, finding)
    if output.show_fixes and output.lines:
        output.report(_fixes_made([result], written=False))
    for change in result.files:
        output.note(f"{shown_path(name)}: would also {'create' if change.before is None else 'change'} "
                    f"{shown_path(change.path)} (not written from standard input)")
    if output.check:
        if output.show_diff and result.changed:
            sys.stdout.write(unified_diff(text, result.output, name))
        return _check_exit([result], bool(result.files), output)
    if output.text:
        if output.show_diff:
            sys.stdout.write(unified_diff(text, result.output, name))
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(result.output.encode("utf-8"))
    return EXIT_OK


def _fix_stdin(name: str, text: str, settings):
    """Fix standard input, with the build context of the path `--stdin-filename` names."""
    from .run import fix_text

    known = name != "-" and os.path.isdir(os.path.dirname(os.path.abspath(name)))
    return fix_text(name, text, settings, with_context=known)


def _file_order(path: str) -> tuple[str, ...]:
    """Files sorted by path, a directory's name as one part (`a/b` before `a-b`, as ruff sorts)."""
    return tuple(path.split(os.sep))


def _run_paths(paths: list[str], finder, output: _Output, jobs: int, force_exclude: bool,
               exit_non_zero_on_fix: bool) -> int:
    from .files import discover
    from .run import FileResult, fix_files

    found, path_errors = discover(paths, force_exclude=force_exclude, excluded=finder.excluded,
                                  skipped=finder.skipped,
                                  keeps_test_input=finder.keeps_test_input)
    found.sort(key=_file_order)
    for name, message in path_errors:
        output.error(name, message)
    progress = _progress_bar() if output.text and not output.quiet and sys.stderr.isatty() and len(found) >= 20 \
        else None
    results = fix_files([str(path) for path in found], finder, jobs, progress)
    if progress:
        echo("\r" + " " * 40 + "\r", nl=False, err=True)
    written = _apply(results, output)
    context_files = _context_files(results, output)
    all_results = sorted(results + [FileResult(name, error=message) for name, message in path_errors],
                         key=lambda result: _file_order(result.path))
    if output.lines and output.statistics:
        output.report(_statistics_table(all_results, output.write))
    elif not output.text:
        _machine_report(all_results, output, context_files)
    if output.show_fixes and output.lines:
        output.report(_fixes_made(results, output.write))
    if not output.quiet and output.text:
        _summary(results, context_files, len(path_errors), output)
    if path_errors or any(result.error for result in results) or any(c.error for c in context_files):
        return EXIT_ERROR
    if output.check:
        return _check_exit(results, bool(context_files), output)
    if output.write and exit_non_zero_on_fix and (written or context_files) and not output.exit_zero:
        return EXIT_CHANGES
    return EXIT_OK


def _check_exit(results, context_files: bool, output: _Output) -> int:
    """--check: 1 when a file would change (a context file too), or a finding this run leaves is
    at or above --fail-level; 0 with --exit-zero."""
    if output.exit_zero:
        return EXIT_OK
    if context_files or any(result.changed for result in results) or _failing(results):
        return EXIT_CHANGES
    return EXIT_OK


def _failing(results) -> int:
    """How many findings the run leaves are at or above the fail level of their file (the command
    line's, else the configuration's or .hadolint.yaml's: FileResult.fail_level)."""
    from .rules.base import at_least

    return sum(at_least(finding.severity, result.fail_level) for result in results for finding in result.remaining)


def _fail_level(results, output) -> str:
    """The fail level of the run: the command line's, else the one its files share, else
    "mixed" (their configurations differ)."""
    levels = {result.fail_level for result in results if not result.error}
    return output.fail_level or (levels.pop() if len(levels) == 1 else "mixed" if levels else "warning")


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
        if output.verbose and result.context:
            echo(f"{shown_path(result.path)}: build context {shown_path(result.context)} ({result.context_how})",
                 err=True)
        for finding in _shown_findings(result, output):
            output.finding(result.path, finding)
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
    for absolute, change in sorted(merged.items(), key=lambda item: _file_order(item[0])):
        if change.after == (change.before or ""):
            continue
        relative = os.path.relpath(absolute)
        path = absolute if relative.startswith("..") else relative
        item = _ContextFile(path, change)
        if output.diffs_wanted():
            from .report.diff import unified_diff

            output.diff(unified_diff(change.before, change.after, path))
        if output.check and output.text and not output.statistics:
            echo(f"{shown_path(path)}: would be {'created' if change.before is None else 'changed'}")
        if output.write:
            try:
                write_context_file(absolute, change.before, change.after)
            except FileError as error:
                output.error(path, error.message)
                item.error = error.message
        done.append(item)
    return done


def _fixes_by_file(results) -> list[tuple[str, list]]:
    """(path, fixes) of each file a fix changes (or made, or asked a context file for)."""
    return [(result.path, result.applied) for result in results if (result.changed or result.files) and result.applied]


def _summary_data(results, context_files, path_errors: int) -> dict:
    """The counts of a run: what changes (the files, the context files, the fixes) apart from
    what is advisory (the findings the run leaves, by severity)."""
    import collections

    from .rules.base import SEVERITIES

    by_rule = collections.Counter(f.rule_id for _, fixes in _fixes_by_file(results) for f in fixes)
    by_severity = collections.Counter(finding.severity for result in results for finding in result.remaining)
    return {"files": len(results), "changed": sum(r.changed for r in results),
            "context_files": len(context_files),
            "errors": sum(bool(r.error) for r in results) + path_errors + sum(bool(c.error) for c in context_files),
            "fixes": sum(by_rule.values()), "findings": sum(by_severity.values()),
            "advisory": {severity: by_severity[severity] for severity in SEVERITIES if by_severity[severity]},
            "fixes_by_rule": dict(sorted(by_rule.items()))}


def _summary(results, context_files, path_errors: int, output: _Output) -> None:
    """Two lines: what would change (or changed), and the advisory findings by severity."""
    data = _summary_data(results, context_files, path_errors)
    changed, fixes = data["changed"] + data["context_files"], data["fixes"]
    verb = "changed" if output.write else "would be changed"
    unchanged = data["files"] - data["changed"] - sum(bool(r.error) for r in results)
    parts = [f"{changed} file{'s' * (changed != 1)} {verb} ({fixes} fix{'es' * (fixes != 1)})",
             f"{unchanged} left unchanged"]
    if data["errors"]:
        parts.append(f"{data['errors']} error{'s' * (data['errors'] != 1)}")
    echo("dockerfix: " + ", ".join(parts), err=True)
    if data["findings"]:
        counts = ", ".join(f"{count} {severity}" for severity, count in data["advisory"].items())
        line = f"dockerfix: {data['findings']} advisory finding{'s' * (data['findings'] != 1)} ({counts})"
        level = _fail_level(results, output)
        if output.check and not output.exit_zero and level != "none":
            where = f"--fail-level {level}" if level != "mixed" else "the fail level of their file"
            line += f", {_failing(results)} at or above {where}"
        echo(line, err=True)
    if fixes and (output.verbose or data["files"] > 1):
        echo("dockerfix: fixes by rule: " + ", ".join(f"{rule} {count}" for rule, count
                                                            in data["fixes_by_rule"].items()), err=True)


def _statistics(results, written: bool) -> list[dict]:
    """Per rule, most first: its id, name, how many findings (those of the files as they are
    after the run, as the other formats report them: with --write, what is left), and whether
    this run fixes them (`fixable`) or --unsafe-fixes would (`unsafe_fixable`)."""
    from .report.formats import reported

    rows: dict[str, dict] = {}
    for result in results:
        applied = {id(finding) for finding in result.applied}
        for finding, fixed in reported(result, written):
            if fixed:
                continue
            row = rows.setdefault(finding.rule_id, {"code": finding.rule_id, "name": finding.rule_name, "count": 0,
                                                    "fixable": False, "unsafe_fixable": False})
            row["count"] += 1
            row["fixable"] |= id(finding) in applied or finding.fix == "safe"
            row["unsafe_fixable"] |= finding.fix == "unsafe"
    return sorted(rows.values(), key=lambda row: (-row["count"], row["code"]))


def _statistics_table(results, written: bool) -> str:
    """As ruff's --statistics: count, rule id, [*] when this run fixes them ([-] when
    --unsafe-fixes would), rule name."""
    rows = _statistics(results, written)
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(f"{row['count']:>{width}}\t{row['code']}\t{_fix_mark(row)} {row['name']}\n" for row in rows)


def _fix_mark(row: dict) -> str:
    return "[*]" if row["fixable"] else "[-]" if row["unsafe_fixable"] else "[ ]"


def _fixes_made(results, written: bool) -> str:
    """As ruff's --show-fixes: the fixes of each file, counted by rule."""
    import collections

    by_file = _fixes_by_file(results)
    total = sum(len(fixes) for _, fixes in by_file)
    if not total:
        return "No fixes made.\n" if written else "No fixes to make.\n"
    files = len(by_file)
    lines = [f"{'Fixed' if written else 'Would fix'} {total} finding{'s' * (total != 1)} "
             f"in {files} file{'s' * (files != 1)}:"]
    for path, fixes in by_file:
        lines.append(f"- {shown_path(path)}:")
        counts = collections.Counter((fix.rule_id, fix.rule_name) for fix in fixes)
        lines += [f"    {count} × {rule_id} ({name})" for (rule_id, name), count in sorted(counts.items())]
    return "\n".join(lines) + "\n"


def _machine_report(results, output: _Output, context_files=()) -> None:
    from .report import formats

    written = output.write
    if output.format == "json" and output.statistics:
        import json

        sys.stdout.write(json.dumps(_statistics(results, written), indent=2) + "\n")
    elif output.format == "concise":
        sys.stdout.write(formats.concise(results, written))
    elif output.format == "json":
        sys.stdout.write(formats.as_json(results, written, _summary_data(results, context_files, 0)))
    elif output.format == "sarif":
        from .rules import ALL_RULES  # the Compose rules too: imported only for SARIF's rule list

        sys.stdout.write(formats.sarif(results, written, ALL_RULES))
    elif output.format == "github":
        sys.stdout.write(formats.github(results, written))
    elif output.format == "gitlab":
        from .report import gitlab

        sys.stdout.write(gitlab.report(results, written))
    elif output.format == "rdjson":
        from .report import rdjson

        sys.stdout.write(rdjson.report(results, written))
    elif output.format in ("junit", "checkstyle"):
        from .report import xml_reports

        if output.format == "junit":
            sys.stdout.write(xml_reports.junit(results, written))
        else:
            sys.stdout.write(xml_reports.checkstyle(results, written))


def _settings_paths(args: argparse.Namespace) -> list[str]:
    if args.paths != ["-"]:
        return args.paths
    if not args.stdin_filename:
        raise UsageError("--show-settings with - (standard input) needs --stdin-filename, the file it stands for")
    return [args.stdin_filename]


def _show_settings(paths: list[str], finder, fmt: str, jobs: int) -> int:
    """The settings each file named or found gets, as a run would find them."""
    from .files import discover, is_compose_path
    from .run import fix_files, rules_for

    found, errors = discover(paths, excluded=finder.excluded, skipped=finder.skipped,
                             keeps_test_input=finder.keeps_test_input)
    for name, message in errors:
        echo(f"dockerfix: error: {shown_path(name)}: {message}", err=True)
    found.sort(key=_file_order)
    kept, _ = discover(found, force_exclude=True, excluded=finder.excluded, skipped=finder.skipped,
                       keeps_test_input=finder.keeps_test_input)
    shown = []
    for result in fix_files(found, finder, jobs):  # the build context as a run finds it
        settings = finder.for_path(result.path)
        kind = "compose" if is_compose_path(os.path.basename(result.path)) else "dockerfile"
        shown.append(_settings_of(result, settings, finder.overrides, kind, rules_for(settings, kind),
                                  result.path not in kept))
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(map(_settings_text, shown)))
    return EXIT_ERROR if errors else EXIT_OK


def _settings_of(result, settings, overrides, kind: str, rules, excluded: bool) -> dict:
    if overrides.isolated:
        configuration = (None, "--isolated")
    elif overrides.config:
        configuration = (settings.source, "--config")
    elif settings.source:
        configuration = (settings.source, "the nearest one at or above the file")
    else:
        configuration = (None, "no .dockerfix.toml or pyproject.toml with [tool.dockerfix] at or above the file")
    if kind == "compose":
        context = (os.path.dirname(os.path.abspath(result.path)), "a Compose file's own directory")
    elif result.context:
        context = (result.context, result.context_how)
    else:
        context = (None, f"not found: {result.error}" if result.error else "not found")
    (level, level_how, level_file), *below = settings.fail_levels()
    if overrides.isolated:
        hadolint = "--isolated"
    elif settings.hadolint:
        hadolint = "the nearest .hadolint.yaml or .hadolint.yml at or above the file"
    else:
        hadolint = "no .hadolint.yaml or .hadolint.yml at or above the file"
    defaults = {rule.id: rule.severity for rule in rules}
    return {"path": result.path, "kind": kind,
            "configuration": {"file": configuration[0], "how": configuration[1],
                              "extends": list(settings.chain[1:])},
            "hadolint": {"file": settings.hadolint.source if settings.hadolint else None, "how": hadolint},
            "context": {"directory": context[0], "how": context[1]},
            "excluded": excluded, "rules": [rule.id for rule in rules], "unsafe_fixes": settings.unsafe_fixes,
            "fail_level": {"level": level, "how": level_how, "file": level_file,
                           "over": [{"level": other, "how": how, "file": file} for other, how, file in below
                                    if how != "the default"]},
            "severities": {rule: {"severity": severity, "default": defaults[rule], "how": how, "file": file}
                           for rule, (severity, how, file) in settings.severity_sources(rules).items()},
            "options": {key.replace("_", "-"): value for key, value in settings.rule_options().items()}}


def _settings_text(shown: dict) -> str:
    import json

    configuration, context = shown["configuration"], shown["context"]
    rows = [("kind", "Compose file" if shown["kind"] == "compose" else "Dockerfile"),
            ("configuration", f"{_shown_or_none(configuration['file'])} ({configuration['how']})")]
    if configuration["extends"]:
        rows.append(("extends", " -> ".join(map(shown_path, configuration["extends"])) + " (each over the next)"))
    rows += [("hadolint", f"{_shown_or_none(shown['hadolint']['file'])} ({shown['hadolint']['how']})"),
             ("build context", f"{_shown_or_none(context['directory'])} ({context['how']})"),
             ("excluded", "yes: a directory search, or --force-exclude, leaves it out" if shown["excluded"] else "no"),
             ("rules", f"{len(shown['rules'])}: {', '.join(shown['rules']) or 'none'}"),
             ("fail-level", _fail_level_text(shown["fail_level"])),
             *_severity_rows(shown["severities"]),
             ("unsafe-fixes", json.dumps(shown["unsafe_fixes"]))]
    rows += [(key, json.dumps(value)) for key, value in shown["options"].items()]
    return f"{shown_path(shown['path'])}:\n" + "".join(f"  {key + ':' if key else '':<15}{value}\n"
                                                        for key, value in rows)


def _severity_rows(severities: dict) -> list[tuple[str, str]]:
    """A row per rule whose severity is not its own (the first named "severities"), or one saying none is."""
    changed = [f"{rule} {item['severity']} (default {item['default']}; {_set_by(item)})"
               for rule, item in severities.items() if item["how"] != "the rule's own"]
    return [("severities" if index == 0 else "", line)
            for index, line in enumerate(changed or ["each rule's own (dockerfix --list-rules)"])]


def _fail_level_text(item: dict) -> str:
    """`info (--fail-level; over warning: fail-level in X)`: the level that counts, and the ones it beats."""
    beaten = "".join(f"; over {other['level']}: {_set_by(other)}" for other in item["over"])
    return f"{item['level']} ({_set_by(item)}{beaten})"


def _set_by(item: dict) -> str:
    """What sets a value, and in which file: `override: error: DL3002 in ./.hadolint.yaml`."""
    return f"{item['how']} in {shown_path(item['file'])}" if item["file"] else item["how"]


def _shown_or_none(path: str | None) -> str:
    return shown_path(path) if path else "none"


def entry() -> None:
    """`dockerfix verify …`, `dockerfix server …` or `dockerfix [PATH]…` (the console script is
    fixer.__main__.entry)."""
    gc.freeze()  # what is imported lives until the end: later collections need not look at it
    for stream in (sys.stdout, sys.stderr):  # a path that is not UTF-8 is printed as the bytes it is
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    try:
        command, arguments = split_subcommand(sys.argv[1:])
        if command == "verify":
            from .verify.cli import main as verify

            sys.exit(verify(arguments))
        if command == "server":
            from .server import main as server

            sys.exit(server(arguments))
        code = main(arguments)
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
