"""`dockerfix verify`, its own command: loaded only when asked for, to keep start-up short.

The options that choose how the file is fixed are the main command's, with its meanings:
verify builds what `dockerfix --write PATH` would write with the same options."""
from __future__ import annotations

import argparse
import os
import sys

from ..config import RUNTIME_BASES
from ..console import ArgumentParser, HelpFormatter, echo, rule_hint, shown_path, split_names
from .engines import PULL_POLICIES

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="dockerfix verify", usage="%(prog)s [options] PATH", allow_abbrev=False,
        formatter_class=HelpFormatter,
        description="Build PATH as it is and as `dockerfix --write PATH` would fix it (the same options and "
                    "configuration file), and show the fixed image is sound.")
    add = parser.add_argument
    add("path", metavar="PATH", help="The Dockerfile.")
    add("--engine", dest="engine_name", choices=("docker", "podman", "buildah"),
        help="The engine to build with (default: docker with a running daemon, podman, buildah). Each is run "
             "as its command-line tool, which reads its own environment (DOCKER_HOST, CONTAINER_HOST).")
    add("--pull", choices=PULL_POLICIES, default="missing",
        help="When to pull base images: missing (default: those the engine does not have), always, or never "
             "(every base must be local). A base that cannot be had is an error (exit 2) before anything is built.")
    add("--network", metavar="MODE",
        help="The network of both builds' RUN steps, as the engine's build takes it: none for no network "
             "(default: the engine's own, with network).")
    add("--make-standins", action="store_true",
        help="Instead of verifying: tag local stand-ins (made from this machine's Debian packages and Python, "
             "no registry) as the alpine, golang, distroless and python base images PATH and its fixed version "
             "use and the engine does not have, for building offline.")
    add("--run", dest="run_images", action="store_true", help="Also run both images (networking off) and compare.")
    add("--run-args", default="", metavar="ARGS", help="Arguments for --run (implies --run).")
    add("--stdin", dest="stdin_file", metavar="FILE", help="Standard input for --run.")
    add("--no-rebuild", action="store_true", help="Skip measuring the rebuild after touching a source file.")
    add("--json", dest="as_json", action="store_true", help="Print the report as JSON.")
    fixing = parser.add_argument_group("how the file is fixed (as for `dockerfix --write`)")
    add = fixing.add_argument
    add("--select", action="append", default=[], metavar="RULES",
        help="Only these rules (ids or names, comma-separated; ALL).")
    add("--extend-select", action="append", default=[], metavar="RULES", help="Rules to add to the selection.")
    add("--ignore", action="append", default=[], metavar="RULES", help="Leave these rules out.")
    add("--unsafe-fixes", action="store_const", const=True, default=None,
        help="Also apply fixes that are not proven safe.")
    add("--runtime-base", choices=RUNTIME_BASES,
        help="The base of runtime stages dockerfix writes (go-multi-stage); default alpine.")
    add("--context", dest="context_dir", metavar="DIR",
        help="The build context of both builds (default: found as for fixing).")
    add("--config", dest="config_file", metavar="FILE",
        help="Use this configuration file (default: the nearest .dockerfix.toml or pyproject.toml with "
             "[tool.dockerfix]).")
    add("--isolated", action="store_true", help="Ignore all configuration files.")
    return parser


def main(argv: list[str]) -> int:
    """Run `dockerfix verify ARGV…`; returns the exit code (usage errors exit 2 through argparse)."""
    import shlex

    from ..files import is_compose_path

    parser = build_parser()
    args = parser.parse_intermixed_args(argv)
    if not os.path.isfile(args.path):
        parser.error(f"{shown_path(args.path)}: no such file")
    if is_compose_path(os.path.basename(args.path)):
        parser.error(f"{shown_path(args.path)}: a Compose file; verify builds a Dockerfile "
                     "(name the one its service builds)")
    if args.context_dir is not None and not os.path.isdir(args.context_dir):
        parser.error(f"--context {shown_path(args.context_dir)}: no such directory")
    if args.network is not None and not args.network.strip():
        parser.error("--network: empty (none, or a network mode the engine's build takes)")
    try:
        run_args = tuple(shlex.split(args.run_args))
    except ValueError as error:  # an unmatched quote
        parser.error(f"--run-args {args.run_args}: {error}")
    stdin = None
    if args.stdin_file is not None:
        try:
            with open(args.stdin_file, "rb") as file:
                stdin = file.read()
        except OSError as error:
            parser.error(f"--stdin {shown_path(args.stdin_file)}: {error.strerror}")
    return _verify(args, fixing_overrides(parser, args), run_args, stdin)


def fixing_overrides(parser: argparse.ArgumentParser, args: argparse.Namespace):
    """What the command line says about fixing, read as the main command reads it (an
    unknown rule is a usage error there too)."""
    from ..rules import UnknownRule, find_rule
    from ..run import Overrides

    select, extend_select, ignore = split_names(args.select), split_names(args.extend_select), split_names(args.ignore)
    for name in select + extend_select + ignore:
        if name.upper() != "ALL":
            try:
                find_rule(name)
            except UnknownRule as error:
                parser.error(f"{error}{rule_hint(name)}")
    return Overrides(select=select or None, extend_select=extend_select, ignore=ignore,
                     unsafe_fixes=args.unsafe_fixes, runtime_base=args.runtime_base,
                     context=os.path.abspath(args.context_dir) if args.context_dir else None,
                     config=args.config_file, isolated=args.isolated)


def _verify(args: argparse.Namespace, overrides, run_args: tuple[str, ...], stdin: bytes | None) -> int:
    import json

    from ..config import ConfigError
    from ..report.text import error_line
    from . import EngineError, FixFailed, detect, fixed_build, format_report, verify

    def progress(message: str) -> None:
        if sys.stderr.isatty() or not args.as_json:
            echo(f"dockerfix verify: {message} …", err=True)

    try:
        fixed = fixed_build(args.path, overrides)
    except ConfigError as error:
        echo(f"dockerfix: error: {error}", err=True)  # word for word what the main command says
        return EXIT_ERROR
    except FixFailed as error:
        echo(error_line(error.path, error.message, error.line), err=True)
        return EXIT_ERROR
    try:
        if args.make_standins:
            return _make_standins(fixed, detect(args.engine_name), args.as_json, progress)
        engine = detect(args.engine_name, pull=args.pull, network=args.network)
        report = verify(fixed, engine=engine, run=args.run_images or bool(run_args),
                        run_args=run_args, stdin=stdin, rebuild=not args.no_rebuild,
                        progress=progress)
    except EngineError as error:
        echo(f"dockerfix verify: {error}", err=True)
        return EXIT_ERROR
    echo(json.dumps(report.to_json(), indent=2) if args.as_json else format_report(report))
    return EXIT_OK if report.passed else EXIT_FAILED


def _make_standins(fixed, engine, as_json: bool, progress) -> int:
    """`--make-standins`: exit 0 when every base image PATH and its fix use is now there."""
    import json

    from .run import base_images_of
    from .standins import describe, make

    outcome = make(engine, base_images_of(fixed), progress=progress)
    echo(json.dumps({"engine": engine.name, "images": outcome}, indent=2) if as_json
         else "\n".join(describe(outcome) or ["no base images to stand in for (scratch only)"]))
    return EXIT_OK if all(what in ("stand-in", "present") for what in outcome.values()) else EXIT_ERROR
