"""What a Compose file's directory holds for the rules that move values into `.env`: the
files beside the Compose file (`.env`, `.env.example`, `.gitignore`, the other Compose
files, which share its `.env`), the .gitignore files up to the repository root, and whether
git tracks a file. Read on first use, once per ComposeDirectory; nothing is written."""
from __future__ import annotations

import os

from ..files import is_compose_name
from ..records import record
from .gitignore import GitIgnoreFile, Verdict, git_tracks, ignored


@record(frozen=True)
class TextFile:
    path: str
    text: str | None      # None: the file is not there (or cannot be read: see `problem`)
    problem: str = ""     # why it cannot be read as UTF-8 text; "" when it can, or is absent

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


class ComposeDirectory:
    """The directory of a Compose file (`checker.context` for Compose rules)."""

    def __init__(self, directory) -> None:
        self.directory = os.path.abspath(str(directory))
        self.root = repository_root(self.directory)
        self._files: dict[str, TextFile] = {}
        self._tracked: dict[str, bool | None] = {}

    def file(self, name: str) -> TextFile:
        """A file of this directory, as text with its line breaks as they are."""
        if name not in self._files:
            self._files[name] = read_text(os.path.join(self.directory, name))
        return self._files[name]

    def gitignore_files(self) -> list[TextFile]:
        """The .gitignore files from the repository root (this directory outside a repository)
        down to this directory's own, root first; those not there left out."""
        top = self.root or self.directory
        directories = [self.directory]
        while directories[-1] != top:
            directories.append(os.path.dirname(directories[-1]))
        found = [read_text(os.path.join(directory, ".gitignore")) for directory in reversed(directories[1:])]
        return [file for file in found if file.text is not None or file.problem] + [self.file(".gitignore")]

    def git_ignores(self, name: str, own_gitignore: str | None = None) -> Verdict:
        """Whether the .gitignore files make git ignore `name` in this directory; with
        `own_gitignore`, as if this directory's .gitignore said that. Unreadable ones are the
        caller's to refuse (gitignore_files)."""
        top = self.root or self.directory
        files = []
        for file in self.gitignore_files():
            text = own_gitignore if file.path == self.file(".gitignore").path and own_gitignore is not None \
                else file.text
            if text is not None:
                base = os.path.relpath(os.path.dirname(file.path), top).replace(os.sep, "/")
                files.append(GitIgnoreFile("" if base == "." else base, text, self._shown(file.path)))
        relative = os.path.relpath(os.path.join(self.directory, name), top).replace(os.sep, "/")
        return ignored(relative, files)

    def tracked(self, name: str) -> bool | None:
        """Whether git tracks `name` of this directory (its index has it, whether or not the
        file is there); False outside a repository; None when git cannot say."""
        if name not in self._tracked:
            self._tracked[name] = False if self.root is None else git_tracks(self.directory, name)
        return self._tracked[name]

    def other_compose_files(self) -> list[TextFile]:
        """The Compose files of this directory by their names (the file being fixed among them,
        as it is on disk): Compose run here reads the same `.env` for all of them."""
        try:
            names = sorted(os.listdir(self.directory))
        except OSError:
            return []
        return [self.file(name) for name in names
                if is_compose_name(name) and os.path.isfile(os.path.join(self.directory, name))]

    def _shown(self, path: str) -> str:
        return os.path.relpath(path, self.directory).replace(os.sep, "/")


def repository_root(directory: str) -> str | None:
    """The nearest directory at or above `directory` holding `.git`; None outside a repository."""
    while True:
        if os.path.exists(os.path.join(directory, ".git")):  # a directory, or a file (worktree, submodule)
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def read_text(path: str) -> TextFile:
    try:
        with open(path, "rb") as file:
            return TextFile(path, file.read().decode("utf-8"))  # line breaks as they are: compared when written
    except FileNotFoundError:
        return TextFile(path, None)
    except UnicodeDecodeError:
        return TextFile(path, None, "it is not UTF-8 text")
    except OSError as error:
        return TextFile(path, None, error.strerror or str(error))
