"""Typed errors and the one way content problems are reported.

A librarian or instructor who gets something wrong sees one message per problem that names
the file, the field (and line where known), what is wrong and how to fix it, in Japanese or
English as their locale says. Every stage raises these; only the CLI prints them.
"""
from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass, field

# Bidirectional overrides and isolates: in a terminal they reorder what follows them.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def user_lang() -> str:
    """'ja' or 'en', from SITEGEN_LANG, then the POSIX locale variables."""
    for var in ("SITEGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def printable(text: str) -> str:
    """Text from content made safe to print in a terminal: control characters (escape
    sequences, line breaks, NUL) and bidirectional overrides are shown as \\x.. / \\u....
    instead of being acted on."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Text:
    """A message in both languages; which one is shown depends on the reader's locale."""

    ja: str
    en: str

    def __str__(self) -> str:
        return self.ja if user_lang() == "ja" else self.en


@dataclass(frozen=True)
class Problem:
    file: str
    what: Text
    fix: Text | None = None
    field: str | None = None
    line: int | None = None
    severity: str = "error"  # or "warning": reported, does not stop the build

    def format(self, lang: str | None = None) -> str:
        lang = lang or user_lang()
        where = printable(self.file) + (f":{self.line}" if self.line else "")
        label = {"error": ("エラー", "error"), "warning": ("注意", "warning")}[self.severity]
        parts = [f"{where}: {label[0] if lang == 'ja' else label[1]}"]
        if self.field:
            field_name = printable(self.field)
            parts.append(f"項目 '{field_name}'" if lang == "ja" else f"field '{field_name}'")
        head = " ".join(parts[:1]) + (f" [{parts[1]}]" if len(parts) > 1 else "")
        what = printable(self.what.ja if lang == "ja" else self.what.en)
        text = f"{head}: {what}"
        if self.fix:
            fix = printable(self.fix.ja if lang == "ja" else self.fix.en)
            text += ("\n    直し方: " if lang == "ja" else "\n    how to fix: ") + fix
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class SiteError(Exception):
    """Base of every error the CLI reports as a message rather than a traceback."""


@dataclass
class ContentErrors(SiteError):
    """One or more problems in the content; the build stops before publishing anything."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)


class BuildError(SiteError):
    """A failure outside the content (a tool, the disk): one clear sentence, no traceback."""

    def __init__(self, what: Text, fix: Text | None = None):
        super().__init__(str(what))
        self.what = what
        self.fix = fix

    def format(self, lang: str | None = None) -> str:
        lang = lang or user_lang()
        text = printable(self.what.ja if lang == "ja" else self.what.en)
        if self.fix:
            text += ("\n    直し方: " if lang == "ja" else "\n    how to fix: ") + printable(
                self.fix.ja if lang == "ja" else self.fix.en
            )
        return text


class FieldError(ValueError):
    """Raised inside model validators: carries the bilingual message through pydantic."""

    def __init__(self, what: Text, fix: Text | None = None):
        super().__init__(what.en)
        self.what = what
        self.fix = fix


def print_problems(problems: list[Problem]) -> None:
    """Every problem, then the count, on standard error in the reader's language."""
    lang = user_lang()
    for p in problems:
        print(p.format(lang), file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if lang == "ja":
        print(f"エラー {errors} 件、注意 {warnings} 件。", file=sys.stderr)
    else:
        print(f"{errors} error(s), {warnings} warning(s).", file=sys.stderr)
