"""BuildKit's small word-level lexers, reproduced exactly.

BuildKit does not use one lexer for a Dockerfile: flags, ENV/ARG words and heredoc
markers each have their own little scanner with its own quirks. These functions
mirror them so that dockerfix splits every instruction the way BuildKit does.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache

from ..lazy_regex import lazy_regex
from .errors import DockerfileError

# Go's unicode.IsSpace for the characters that can occur here.
_GO_SPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                      "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
WHITESPACE_RUN = lazy_regex(r"[\t\v\f\r ]+")
_GO_SPACE_RUN = lazy_regex("[" + re.escape("".join(sorted(_GO_SPACE))) + "]+")
_GO_WORD = lazy_regex("[^" + re.escape("".join(sorted(_GO_SPACE))) + "]+")
HEREDOC_WORD = lazy_regex(r"^(\d*)<<(-?)([^<]*)$", re.DOTALL | re.ASCII)  # RE2: \d is ASCII only


def is_space(ch: str) -> bool:
    return ch in _GO_SPACE


GO_SPACE_CHARACTERS = "".join(sorted(_GO_SPACE))


def trim_space(text: str) -> str:
    """Go's strings.TrimSpace: Unicode white space off both ends (str.strip with Go's set)."""
    return text.strip(GO_SPACE_CHARACTERS)


def lstrip_space(text: str) -> str:
    return text.lstrip(GO_SPACE_CHARACTERS)


def split_flags(line: str) -> tuple[int, list[tuple[str, str]]]:
    """Take `--name[=value]` flags off the front of `line`.

    Returns the offset where the arguments start and the flags, each as BuildKit reports it
    (quotes and backslashes processed) and as written. `--` ends the flags and is dropped.

    BuildKit's extractBuilderFlags reads the line byte by byte, each byte taken for the
    character of that number: a flag ends at the bytes 0x85 and 0xA0 (Go's white space as
    characters), also inside a character's UTF-8 encoding (U+00A0 is C2 A0, `à` is C3 A0), and
    each byte of a flag becomes a character of its own (`é`, C3 A9, is reported as `Ã©`).
    """
    if not line.isascii():
        return _split_flags_bytewise(line)
    end, flags = _split_quoted_flags(line) if "'" in line or '"' in line or "\\" in line else \
        _split_plain_flags(line)
    return end, [(text, line[start:stop]) for text, start, stop in flags]


def _split_flags_bytewise(line: str) -> tuple[int, list[tuple[str, str]]]:
    """split_flags of a line with other than ASCII characters, on its bytes as BuildKit reads it.
    A flag as written takes in the whole character its last byte belongs to."""
    as_bytes = line.encode("utf-8", "surrogatepass").decode("latin-1")  # one character per byte
    end, flags = _split_quoted_flags(as_bytes)
    if _is_continuation_byte(as_bytes, end):
        raise DockerfileError("the flags end inside a character (BuildKit cuts its UTF-8 bytes apart "
                              "at a byte 0x85 or 0xA0)")
    return _character_offset(as_bytes, end), [
        (text, line[_character_offset(as_bytes, start):_character_offset(as_bytes, stop)])
        for text, start, stop in flags]


def _is_continuation_byte(as_bytes: str, offset: int) -> bool:
    return offset < len(as_bytes) and "\x80" <= as_bytes[offset] <= "\xbf"


def _character_offset(as_bytes: str, offset: int) -> int:
    """The offset in the text of the byte at `offset` of its UTF-8 encoding (a byte inside a
    character: the offset just after that character)."""
    return sum(1 for byte in as_bytes[:offset] if not "\x80" <= byte <= "\xbf")


def _split_plain_flags(line: str) -> tuple[int, list[tuple[str, int, int]]]:
    """split_flags of a line with no quotes or backslashes: flags are whole words."""
    flags: list[tuple[str, int, int]] = []
    position = 0
    while True:
        word = _GO_WORD.search(line, position)
        if word is None:
            return len(line), flags
        if not word.group().startswith("--"):
            return word.start(), flags
        if word.group() == "--":
            return word.end(), flags
        flags.append((word.group(), word.start(), word.end()))
        position = word.end()


def _split_quoted_flags(line: str) -> tuple[int, list[tuple[str, int, int]]]:
    """split_flags, character by character: each flag with where it starts and ends."""
    flags: list[tuple[str, int, int]] = []
    word: list[str] = []
    in_word = in_quote = blank_ok = False
    quote = ""
    start = pos = 0
    size = len(line)
    while pos <= size:
        ch = line[pos] if pos < size else ""
        if not in_word and not in_quote:
            if pos == size:
                break
            if is_space(ch):
                pos += 1
                continue
            if ch != "-" or pos + 1 == size or line[pos + 1] != "-":
                return pos, flags
            in_word, start = True, pos
        if pos == size:
            if "".join(word) != "--" and (blank_ok or word):
                flags.append(("".join(word), start, size))
            break
        if in_word and not in_quote:
            if is_space(ch):
                text = "".join(word)
                if text == "--":
                    return pos, flags
                if blank_ok or word:
                    flags.append((text, start, pos))
                word, in_word, blank_ok = [], False, False
                pos += 1
                continue
            if ch in "'\"":
                quote, blank_ok, in_quote = ch, True, True
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == size:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            word.append(ch)
            pos += 1
            continue
        # inside a quote
        if ch == quote:
            in_quote = False
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == size:
                in_quote = False
                pos += 1
                continue
            pos += 1
            ch = line[pos]
        word.append(ch)
        pos += 1
    return size, flags


def parse_words(rest: str, escape: str) -> list[str]:
    """Split ENV/LABEL/ARG arguments into words, keeping quotes (BuildKit's parseWords)."""
    if escape not in rest and "'" not in rest and '"' not in rest:  # then only white space splits
        return [word for word in _GO_SPACE_RUN.split(rest) if word]
    words: list[str] = []
    position = 0
    for word in _quoted_word_pattern(escape).finditer(rest):
        if rest[position:word.start()].strip(GO_SPACE_CHARACTERS):  # an open quote, a last escape
            return _parse_quoted_words(rest, escape)
        words.append(word.group())
        position = word.end()
    if rest[position:].strip(GO_SPACE_CHARACTERS):
        return _parse_quoted_words(rest, escape)
    return words


@lru_cache(maxsize=2)
def _quoted_word_pattern(escape: str) -> re.Pattern:
    """A word of parseWords when its quotes are closed: runs of plain characters, the escape
    character with the one after it, '…' (no escapes inside), "…" (escapes inside). Where the
    words do not cover every non-space character, the character lexer below decides."""
    space, escape = re.escape(GO_SPACE_CHARACTERS), re.escape(escape)
    return re.compile(rf"""(?:[^{space}'"{escape}]+|{escape}.|'[^']*'|"(?:{escape}.|[^"{escape}])*")+""", re.DOTALL)


def _parse_quoted_words(rest: str, escape: str) -> list[str]:
    """BuildKit's parseWords, character by character."""
    words: list[str] = []
    word: list[str] = []
    phase = 0  # 0 between words, 1 in a word, 2 in a quote
    quote = ""
    blank_ok = False
    pos, size = 0, len(rest)
    while pos <= size:
        ch = rest[pos] if pos < size else ""
        if phase == 0:
            if pos == size:
                break
            if is_space(ch):
                pos += 1
                continue
            phase = 1
        if pos == size:
            if blank_ok or word:
                words.append("".join(word))
            break
        if phase == 1:
            if is_space(ch):
                phase = 0
                if blank_ok or word:
                    words.append("".join(word))
                word, blank_ok = [], False
                pos += 1
                continue
            if ch in "'\"":
                quote, blank_ok, phase = ch, True, 2
            if ch == escape:
                if pos + 1 == size:
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        if ch == quote:
            phase = 1
        if ch == escape and quote != "'":
            if pos + 1 == size:
                phase = 1
                pos += 1
                continue
            pos += 1
            word.append(ch)
            ch = rest[pos]
        word.append(ch)
        pos += 1
    return words


class NotStringArray(ValueError):
    """A JSON array with something other than strings: BuildKit rejects it."""


def _reject_constant(name: str):
    raise ValueError(name)  # Go's encoding/json has no NaN or Infinity


def _go_number(literal: str) -> float:
    """A JSON number as Go decodes it into an interface: a float64, and an error (so the whole
    array is not JSON to BuildKit) where it rounds to infinity: `1e400`, a 400-digit integer."""
    number = float(literal)
    if math.isinf(number):
        raise ValueError(f"number {literal} overflows a float64")
    return number


_JSON = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_go_number, parse_int=_go_number)
_LONE_SURROGATE = lazy_regex("[\ud800-\udfff]")  # Go decodes these to U+FFFD


def parse_json_array(rest: str) -> list[str] | None:
    """The exec-form array, or None when `rest` is not valid JSON (then it is shell form)."""
    text = lstrip_space(rest)
    if not text.startswith("["):
        return None
    try:
        # BuildKit decodes the first JSON value and ignores what follows it.
        value, _ = _JSON.raw_decode(text)
    except (ValueError, RecursionError):  # nested deeper than Python decodes: BuildKit's shell form too
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(item, str) for item in value):
        raise NotStringArray("when using JSON array syntax, arrays must be comprised of strings only")
    return [item if item.isascii() else _LONE_SURROGATE.sub("\ufffd", item) for item in value]


def heredoc_candidate_words(line: str) -> list[str]:
    """Words of a joined line as BuildKit's shell lexer sees them when it looks for heredocs.

    Quotes and escapes are kept raw and variables are not expanded, so a word reads as it
    was written; only whitespace outside quotes splits words. Where the lexer fails, BuildKit
    finds no heredoc at all: an unterminated quote, or a `${...}` its lexer cannot read
    (see `_braced_end`).
    """
    words: list[str] = []
    word: list[str] = []
    in_word = False
    pos, size = 0, len(line)
    while pos < size:
        ch = line[pos]
        if ch in _GO_SPACE:  # BuildKit splits words at unicode.IsSpace, not only blanks
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
            pos += 1
            continue
        in_word = True
        if ch == "\\":
            word.append(line[pos:pos + 2])
            pos += 2
            continue
        if ch == "'":
            end = line.find("'", pos + 1)
            if end < 0:
                return []
            word.append(line[pos:end + 1])
            pos = end + 1
            continue
        if ch == '"':
            end = _closing_double_quote(line, pos + 1)
            if end < 0:
                return []
            word.append(line[pos:end + 1])
            pos = end + 1
            continue
        if ch == "$":
            end = _expansion_end(line, pos)
            if end < 0:
                return []
            # BuildKit splits what an unquoted expansion gives (here: its own text, as the
            # variable is never set) at whitespace, like the shell's field splitting
            first, *others = _GO_SPACE_RUN.split(line[pos:end])
            word.append(first)
            for other in others:
                words.append("".join(word))
                word = [other]
            pos = end
            continue
        word.append(ch)
        pos += 1
    if in_word:
        words.append("".join(word))
    return words


def _closing_double_quote(line: str, pos: int) -> int:
    """The index of the `"` that closes a double quote opened before `pos`, or -1 where the
    lexer fails. Inside, `\\` escapes only `"`, `$` and itself, and `${...}` is read."""
    while pos < len(line):
        ch = line[pos]
        if ch == '"':
            return pos
        if ch == "$":
            pos = _expansion_end(line, pos)
            if pos < 0:
                return -1
            continue
        pos += 2 if ch == "\\" and line[pos + 1:pos + 2] in ('"', "$", "\\") else 1
    return -1


SPECIAL_PARAMETERS = frozenset("*#@?$!-0")


def _expansion_end(line: str, pos: int) -> int:
    """Where the expansion at `pos` (a `$`) ends: `$name`, `$1`, `$$` or `${...}`; -1 where
    BuildKit's lexer fails on it."""
    if line.startswith("${", pos):
        return _braced_end(line, pos)
    return _name_end(line, pos + 1) if pos + 1 < len(line) else pos + 1


def _braced_end(line: str, pos: int) -> int:
    """Where the `${...}` starting at `pos` ends, or -1 where the shell lexer of our BuildKit
    fails on it: no closing brace, `${}`, `${:x}`, or an operator it does not know (`#`, `%`,
    `/`, `^`, `=`, `,`; it reads `${V}`, `${V-x}`, `${V+x}`, `${V?x}`, and after a colon any
    one character, as the variable is never set there)."""
    pos += 2
    if pos >= len(line) or line[pos] in "{}:":
        return -1
    pos = _name_end(line, pos)
    if pos >= len(line):
        return -1
    operator = line[pos]
    if operator == "}":
        return pos + 1
    if operator in "?-+":
        return _stop_at_brace(line, pos + 1)
    if operator == ":" and pos + 1 < len(line):
        return _stop_at_brace(line, pos + 2)
    return -1


def _name_end(line: str, pos: int) -> int:
    """BuildKit's processName: digits, or one special parameter, or letters, digits and `_`."""
    if line[pos].isdecimal():  # Go's unicode.IsDigit (Nd); str.isdigit would take `²` as well
        while pos < len(line) and line[pos].isdecimal():
            pos += 1
        return pos
    if line[pos] in SPECIAL_PARAMETERS:
        return pos + 1
    while pos < len(line) and (line[pos].isalpha() or line[pos].isdecimal() or line[pos] == "_"):
        pos += 1
    return pos


def _stop_at_brace(line: str, pos: int) -> int:
    """Past the `}` that ends a `${name<op>word}`, reading quotes and expansions in the word."""
    while pos < len(line):
        ch = line[pos]
        if ch == "}":
            return pos + 1
        if ch == "'":
            pos = line.find("'", pos + 1)
            if pos < 0:
                return -1
            pos += 1
        elif ch == '"':
            pos = _closing_double_quote(line, pos + 1)
            if pos < 0:
                return -1
            pos += 1
        elif ch == "$":
            pos = _expansion_end(line, pos)
            if pos < 0:
                return -1
        else:
            pos += 2 if ch == "\\" else 1
    return -1


def heredoc_name(rest: str) -> tuple[str, bool] | None:
    """Lex the word after `<<`: its name and whether the body expands, or None if no heredoc."""
    if not rest:
        return None
    words = heredoc_candidate_words(rest)
    if len(words) != 1:
        return None
    raw = words[0]
    name = _unquote(raw)
    if not name:  # `<<''`, `<<""`: BuildKit's lexer drops an empty word, and no heredoc starts
        return None
    expand = (name.count("'") + name.count('"')) == (raw.count("'") + raw.count('"'))
    return name, expand


def _unquote(raw: str) -> str:
    out: list[str] = []
    pos = 0
    while pos < len(raw):
        ch = raw[pos]
        if ch == "\\":
            out.append(raw[pos + 1:pos + 2])
            pos += 2
        elif ch == "'":
            end = raw.find("'", pos + 1)
            out.append(raw[pos + 1:end])
            pos = end + 1
        elif ch == '"':
            end = _closing_double_quote(raw, pos + 1)
            inner = raw[pos + 1:end]
            out.append(re.sub(r'\\([\\"$`])', r"\1", inner))
            pos = end + 1
        else:
            out.append(ch)
            pos += 1
    return "".join(out)
