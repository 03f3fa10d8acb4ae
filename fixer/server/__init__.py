"""`dockerfix server`: a Language Server Protocol server over standard input and output.

An editor starts it and gets, for each Dockerfile and Compose file it opens:
- diagnostics on open, change and save, from the rules, configuration and build context the
  command line would use, each with its rule's severity as configured (error, warning, info,
  style: LSP's Error, Warning, Information, Hint) and linked to its rule's documentation;
- code actions: each fix alone (safe ones preferred, unsafe ones saying why), a suppression
  comment for the rule where it is, and `source.fixAll.dockerfix`, the fixes
  `dockerfix --write` would make (the editor's fix-on-save);
- hovers that explain the rule of a diagnostic (`dockerfix --explain`).

Fixes are computed on the editor's text, never on the file on disk. The protocol is pygls's
(fixer.server.lsp); what is found in a buffer, fixer.server.analysis; positions,
fixer.server.positions. Only this command imports pygls: the command line starts without it.
"""
from __future__ import annotations

import argparse


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dockerfix server", description="Run the dockerfix language server (LSP) on standard input and output.",
        epilog="Editors start it themselves: see the README for VS Code, Neovim and Helix.")
    parser.add_argument("--stdio", action="store_true", help="Talk over standard input and output (the default and "
                                                            "only way; accepted because some clients add it).")
    parser.parse_args(argv)
    from .lsp import serve

    serve()
    return 0
