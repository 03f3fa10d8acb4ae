"""Shell completion for bash, zsh and fish.

The scripts are written ahead of time from the command's parsers by `python -m
fixer.completion` (run it after an option changes; a test says when they are out of date) and
shipped in fixer/data/completion: `dockerfix --completion SHELL` prints one, so neither the
command's start-up nor a TAB builds anything. Rule ids and names are asked of
`dockerfix --list-rules` when one is completed: the rules change more often than the options.

    dockerfix --completion bash > ~/.local/share/bash-completion/completions/dockerfix
    dockerfix --completion zsh > ~/.zfunc/_dockerfix     # a directory on $fpath
    dockerfix --completion fish > ~/.config/fish/completions/dockerfix.fish
"""
from __future__ import annotations

import argparse
import os
import re
import sys

from .records import record

SCRIPTS = {"bash": "dockerfix.bash", "zsh": "_dockerfix", "fish": "dockerfix.fish"}
DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "completion")
# The subcommands whose options are completed (from the module's build_parser); the others get --help
SUBCOMMAND_PARSERS = {"verify": "fixer.verify.cli"}
HEADER = "{comment} {shell} completion for dockerfix: `dockerfix --completion {shell}`. Written by " \
         "`python -m fixer.completion` from the command's options: do not edit."


def shipped_script(shell: str) -> str:
    try:
        with open(os.path.join(DIRECTORY, SCRIPTS[shell]), encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:  # an install without the package data: the same script, made now
        return script(shell)


@record(frozen=True)
class Option:
    strings: tuple[str, ...]     # -w, --write
    help: str                    # its first sentence
    value: str | None            # None (a flag), "choice", "rules", "directory", "file" or "text"
    choices: tuple[str, ...] = ()
    repeatable: bool = False
    metavar: str = ""


def options(parser) -> list[Option]:
    """The options of an argparse parser, as completion needs them."""
    found = []
    for action in parser._actions:  # argparse has no public way; shtab and argcomplete read them too
        if not action.option_strings:
            continue
        metavar = action.metavar or (action.dest.upper() if action.nargs != 0 else "")
        value = None if action.nargs == 0 else "choice" if action.choices else VALUE_KINDS.get(metavar, "text")
        found.append(Option(tuple(action.option_strings), _first_sentence(action.help or ""), value,
                            tuple(action.choices or ()), isinstance(action, argparse._AppendAction), metavar))
    return found


VALUE_KINDS = {"RULES": "rules", "RULE": "rules", "DIR": "directory", "FILE": "file", "NAME": "file"}


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[a-z)])\. ", text.replace("\n", " "), maxsplit=1)[0].rstrip(".")
    return sentence if len(sentence) <= 80 else sentence[:77].rstrip(" ,;(") + "..."


def _commands() -> dict[str, tuple[str, list[Option]]]:
    """Each command ("" for dockerfix itself): its summary and options."""
    import importlib

    from .cli import SUBCOMMANDS, build_parser

    commands = {"": ("", options(build_parser()))}
    for name, (_, summary) in SUBCOMMANDS.items():
        module = SUBCOMMAND_PARSERS.get(name)
        parser = importlib.import_module(module).build_parser() if module else None
        commands[name] = (summary, options(parser) if parser else [Option(("-h", "--help"), "show its help", None)])
    return commands


def script(shell: str) -> str:
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](_commands())


# bash

def _bash(commands) -> str:
    names = [name for name in commands if name]
    arms: dict[str, list[str]] = {}
    for name, (_, found) in commands.items():
        for option in found:
            if option.value:
                arms.setdefault(_bash_reply(option), []).extend(f'"{name} {string}"' for string in option.strings)
    cases = "".join(f"        {'|'.join(patterns)})\n            {reply}; return ;;\n"
                    for reply, patterns in arms.items())
    option_lists = "".join(f"        {_bash_pattern(name)}) options=\"{_option_strings(found)}\" ;;\n"
                           for name, (_, found) in commands.items())
    return f"""{HEADER.format(comment="#", shell="bash")}

_dockerfix_rules() {{
    dockerfix --list-rules 2>/dev/null | while read -r id name _; do printf '%s\\n%s\\n' "$id" "$name"; done
}}

_dockerfix() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" command="" options i
    if [[ $prev == "=" ]]; then prev="${{COMP_WORDS[COMP_CWORD-2]}}"; fi
    if [[ $cur == "=" ]]; then cur=""; fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            {'|'.join(names)}) command="${{COMP_WORDS[i]}}"; break ;;
        esac
    done
    case "$command $prev" in
{cases}    esac
    case "$command" in
{option_lists}    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    if [[ -z $command ]]; then COMPREPLY+=($(compgen -W "{' '.join(names)}" -- "$cur")); fi
}}

complete -o filenames -o bashdefault -F _dockerfix dockerfix
"""


def _option_strings(found: list[Option]) -> str:
    return " ".join(string for option in found for string in option.strings)


def _bash_pattern(command: str) -> str:
    return command or "''"


def _bash_reply(option: Option) -> str:
    if option.value == "choice":
        return f'COMPREPLY=($(compgen -W "{" ".join(option.choices)}" -- "$cur"))'
    if option.value == "rules":  # comma-separated: complete the last one
        return 'local listed=""; [[ $cur == *,* ]] && listed="${cur%,*},"; ' \
               'COMPREPLY=($(compgen -P "$listed" -W "$(_dockerfix_rules)" -- "${cur##*,}"))'
    if option.value == "directory":
        return 'COMPREPLY=($(compgen -d -- "$cur"))'
    if option.value == "file":
        return 'COMPREPLY=($(compgen -f -- "$cur"))'
    return "COMPREPLY=()"  # a value to type


# zsh

def _zsh(commands) -> str:
    names = [name for name in commands if name]
    described = " ".join(f"{name}\\:{_zsh_quoted_word(summary)}" for name, (summary, _) in commands.items() if name)
    arms = "".join(f"        ({name})\n            _arguments -s -S \\\n{_zsh_specs(found, name)} ;;\n"
                   for name, (_, found) in commands.items() if name)
    return f"""#compdef dockerfix
{HEADER.format(comment="#", shell="zsh")}

_dockerfix_rules() {{
    local -a rules
    rules=(${{(f)"$(dockerfix --list-rules 2>/dev/null | awk '{{ print $1; print $2 }}')"}})
    _sequence -s , compadd -a rules
}}

_dockerfix_first() {{
    _alternative 'commands:command:(({described}))' 'files:path:_files'
}}

_dockerfix() {{
    local i command
    for (( i = 2; i < CURRENT; i++ )); do
        case ${{words[i]}} in
            ({'|'.join(names)})
                command=${{words[i]}}
                words[i]=()
                (( CURRENT-- ))
                break ;;
        esac
    done
    case $command in
{arms}        (*)
            _arguments -s -S \\
{_zsh_specs(commands[""][1], "")} ;;
    esac
}}

_dockerfix "$@"
"""


def _zsh_specs(found: list[Option], command: str) -> str:
    specs = []
    for option in found:
        excluded = f"({' '.join(option.strings)})" if len(option.strings) > 1 else ""
        if option.strings == ("-h", "--help") or option.value is None and option.strings == ("--version",):
            excluded = "(- *)"
        for string in option.strings:
            suffix = "" if option.value is None else "+" if len(string) == 2 else "="
            specs.append(_zsh_quoted(f"{'*' if option.repeatable else ''}{excluded}{string}{suffix}"
                                     f"[{_zsh_escaped(option.help)}]{_zsh_action(option)}"))
    if command == "verify":
        specs.append(_zsh_quoted("1:Dockerfile:_files"))
    elif command == "":
        specs += [_zsh_quoted("1: :_dockerfix_first"), _zsh_quoted("*:path:_files")]
    return " \\\n".join(f"                {spec}" for spec in specs)


def _zsh_action(option: Option) -> str:
    message = option.metavar.lower() or "value"
    return {None: "", "choice": f":{message}:({' '.join(option.choices)})", "rules": ":rules:_dockerfix_rules",
            "directory": ":directory:_files -/", "file": ":file:_files"}.get(option.value, f":{message}: ")


def _zsh_escaped(text: str) -> str:
    """Text inside a spec's [explanation]."""
    return re.sub(r"([\[\]:\\])", r"\\\1", text)


def _zsh_quoted_word(text: str) -> str:
    """A description in `((name\\:description ...))`, quoted for it."""
    return '"' + re.sub(r'(["\\$`])', r"\\\1", text) + '"'


def _zsh_quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# fish

def _fish(commands) -> str:
    names = " ".join(name for name in commands if name)
    lines = [HEADER.format(comment="#", shell="fish"), "",
             "function __dockerfix_rules",
             "    dockerfix --list-rules 2>/dev/null | while read -l id name rest",
             "        echo $id",
             "        echo $name",
             "    end",
             "end", ""]
    lines += [f"complete -c dockerfix -n __fish_use_subcommand -f -a {name} -d {_fish_quoted(summary)}"
              for name, (summary, _) in commands.items() if name]
    for name, (_, found) in commands.items():
        condition = f"__fish_seen_subcommand_from {name}" if name else f"not __fish_seen_subcommand_from {names}"
        lines.append("")
        for option in found:
            flags = " ".join(f"-s {string[1:]}" if len(string) == 2 else f"-l {string[2:]}"
                             for string in option.strings)
            lines.append(f"complete -c dockerfix -n {_fish_quoted(condition)} {flags}{_fish_value(option)} "
                         f"-d {_fish_quoted(option.help)}")
    return "\n".join(lines) + "\n"


def _fish_value(option: Option) -> str:
    return {None: "", "choice": f" -x -a {_fish_quoted(' '.join(option.choices))}",
            "rules": " -x -a '(__fish_complete_list , __dockerfix_rules)'",
            "directory": " -x -a '(__fish_complete_directories)'", "file": " -r"}.get(option.value, " -x")


def _fish_quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main(argv: list[str]) -> int:
    """Write the scripts into fixer/data/completion; say which changed."""
    os.makedirs(DIRECTORY, exist_ok=True)
    for shell, name in SCRIPTS.items():
        path = os.path.join(DIRECTORY, name)
        text = script(shell)
        try:
            with open(path, encoding="utf-8") as file:
                if file.read() == text:
                    continue
        except FileNotFoundError:
            pass
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
        print(f"wrote {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
