"""Reading content files: UTF-8 text, YAML with the line of every field, front matter.

Line numbers matter to a librarian looking at a 40-line record: every loader here returns,
beside the data, a map from a field's path (("images", 0, "file")) to its line.

The YAML is read as people write it, not as YAML 1.1 would have it: `start: 10:00` is the
text "10:00" (not the base-60 number 600), `room: no` is the text "no" (only true and false
are booleans; a model's true/false field still accepts yes/no), `phone: 0312345670` keeps its
leading zero (not an octal number), and an impossible date such as 2026-02-30 stays text for
the model to refuse with its field and line. A file that is too large, nested too deeply,
refers to itself, or multiplies its anchors (&a / *a) into a huge document is refused with
one message, before anything walks it.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .errors import ContentErrors, Problem, Text

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LineMap = dict[tuple, int]

# A record is a few kilobytes; the largest file written by hand (an authority list of
# thousands of names) stays well under this. More is a mistake (a scan saved as .yml) or an attack.
MAX_BYTES = 5 * 1024 * 1024
# Content needs five or six levels (sessions > exceptions > note > ja); libyaml stops at 1,000,
# which is already deeper than Python's own recursion limit allows walking.
MAX_DEPTH = 64
# Values that anchors and aliases (&a / *a) may add to a document once expanded: a few
# `<<: *defaults` add dozens; nine levels of nine aliases (a "billion laughs") add 387 million.
MAX_ALIAS_GROWTH = 100_000

_OCTAL_LOOKING = re.compile(r"^[-+]?0[0-9_]+$")
_TRUE, _FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")


class _ValueError(ConstructorError):
    """A scalar whose tag (or form) says number but which cannot be one."""


def _bad_value(node: yaml.Node, exc: BaseException) -> ConstructorError:
    too_long = "digits" in str(exc)
    return _ValueError(None, None, "the number is too long" if too_long else
                       f"'{str(node.value)[:40]}' cannot be read as a number", node.start_mark)


def _construct_bool(loader: SafeConstructor, node: yaml.ScalarNode) -> Any:
    # YAML 1.2: yes/no/on/off are words (a room called 'no', a glossary entry 'ON').
    value = loader.construct_scalar(node)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return value


def _construct_int(loader: SafeConstructor, node: yaml.ScalarNode) -> Any:
    value = loader.construct_scalar(node)
    # 10:00 is a time of day, not 600; 0312345670 is a phone number, not an octal number.
    # Where a model wants a number, it reads the text ("012" -> 12).
    if ":" in value or _OCTAL_LOOKING.match(value):
        return value
    try:
        return SafeConstructor.construct_yaml_int(loader, node)
    except (ValueError, IndexError) as exc:  # `!!int x`, or more digits than Python converts
        raise _bad_value(node, exc) from None


def _construct_float(loader: SafeConstructor, node: yaml.ScalarNode) -> Any:
    value = loader.construct_scalar(node)
    if ":" in value:  # 1:30.5, base 60 in YAML 1.1
        return value
    try:
        return SafeConstructor.construct_yaml_float(loader, node)
    except (ValueError, IndexError) as exc:
        raise _bad_value(node, exc) from None


def _construct_timestamp(loader: SafeConstructor, node: yaml.ScalarNode) -> Any:
    # 2026-02-30 matches YAML's date pattern but is no day: keep the text, and the model
    # that expects a date says which field and line, and why.
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return loader.construct_scalar(node)


class Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, with the scalar rules described in the module's docstring."""


Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _too_large(rel: str, size: int, limit: int) -> ContentErrors:
    mb, max_mb = size / 1024 / 1024, limit / 1024 / 1024
    return ContentErrors([Problem(
        rel,
        what=Text(f"ファイルが大きすぎます（{mb:.1f} MB、{max_mb:.0f} MB まで）。",
                  f"the file is too large ({mb:.1f} MB; at most {max_mb:.0f} MB)."),
        fix=Text("正しいファイルか確かめてください（画像などを .yml で保存していませんか）。大きな一覧は分けてください。",
                 "check that it is the right file (not a scan or export saved under this name); "
                 "split a long list into several files."),
    )])


def read_utf8(path: Path, rel: str, max_bytes: int = MAX_BYTES) -> str:
    """The file's text; a file that is not regular, unreadable, too large or not UTF-8 is one Problem."""
    if os.path.islink(path):  # it may point anywhere on the build machine: its text would be published
        raise ContentErrors([Problem(
            rel, what=Text("ほかのファイルへのリンクです。", "this is a link to another file."),
            fix=Text("リンクではなく、ファイルそのものをここに置いてください。", "put the file itself here, not a link to it."))])
    try:
        # A FIFO or device under a content name would block or never end: read regular files only.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise ContentErrors([Problem(
                    rel, what=Text("普通のファイルではありません（フォルダや特殊なファイルです）。",
                                   "this is not a regular file (it is a folder, a pipe or a device)."),
                    fix=Text("この名前のものを消すか、普通のテキストファイルにしてください。",
                             "remove it, or replace it with a plain text file."))])
            if info.st_size > max_bytes:
                raise _too_large(rel, info.st_size, max_bytes)
            with os.fdopen(fd, "rb", closefd=False) as f:
                raw = f.read(max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ContentErrors([Problem(
            rel, what=Text(f"ファイルを読めません（{exc.strerror or exc}）。", f"the file cannot be read ({exc.strerror or exc})."),
            fix=Text("ファイルの読み取り権限と、ファイルがそこにあることを確かめてください。",
                     "check that the file exists and that you may read it."))]) from None
    if len(raw) > max_bytes:  # grew while being read
        raise _too_large(rel, len(raw), max_bytes)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentErrors([Problem(
            rel, line=line,
            what=Text("文字コードが UTF-8 ではありません（Shift_JIS などで保存されています）。",
                      "the file is not UTF-8 text (it looks like Shift_JIS or another encoding)."),
            fix=Text("エディタで「UTF-8」を選んで保存し直してください。",
                     "save it again as UTF-8 (in your editor: Save As, encoding UTF-8)."),
        )]) from None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _shape_problem(root: yaml.Node, rel: str, line_offset: int) -> Problem | None:
    """Refuse, before anything walks the document, one that nests too deeply, contains itself,
    or grows past MAX_ALIAS_GROWTH through aliases. Iterative: no recursion limit to hit."""
    size: dict[int, int] = {}  # values the node stands for, aliases expanded
    height: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]

    def problem(node: yaml.Node, what: Text, fix: Text) -> Problem:
        return Problem(rel, what, fix, line=node.start_mark.line + 1 + line_offset)

    unique = 0  # values as written (the expansion of an alias to a scalar counts as written)
    scalar = yaml.ScalarNode
    while stack:
        node, done = stack.pop()
        key = id(node)
        if isinstance(node, scalar):
            size[key], height[key], unique = 1, 1, unique + 1
            continue
        children = _children(node)
        if done:
            visiting.discard(key)
            size[key] = 1 + sum(1 if isinstance(c, scalar) else size[id(c)] for c in children)
            height[key] = 1 + max((1 if isinstance(c, scalar) else height[id(c)] for c in children), default=0)
            if height[key] > MAX_DEPTH:
                return problem(node, Text(f"入れ子が深すぎます（{MAX_DEPTH} 段まで）。",
                                          f"the values are nested too deeply (more than {MAX_DEPTH} levels)."),
                               Text("「[」「{」の閉じ忘れや字下げを確かめてください。",
                                    "check for unclosed '[' or '{' and for the indentation."))
            continue
        if key in size:
            continue  # an alias of a part already measured
        visiting.add(key)
        stack.append((node, True))
        unique += 1
        for child in children:
            if isinstance(child, scalar):
                unique += 1
            elif id(child) in visiting:
                return problem(child, Text("別名（*）が、自分を含む部分を指しています。",
                                           "an alias (*name) refers to the part that contains it."),
                               Text("& と * を使わずに、値をそのまま書いてください。",
                                    "write the values out instead of using & and *."))
            elif id(child) not in size:
                stack.append((child, False))
    if size[id(root)] - unique > MAX_ALIAS_GROWTH:
        return problem(root, Text(f"アンカー（&）と別名（*）で、値が {size[id(root)]:,} 個にふくらみます。",
                                  f"anchors (&) and aliases (*) expand this file to {size[id(root)]:,} values."),
                       Text("& と * を使わずに、値をそのまま書いてください。",
                            "write the values out instead of using & and *."))
    return None


def _field_name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def _duplicate_keys(root: yaml.Node, rel: str, offset: int) -> list[Problem]:
    """A field written twice in one mapping: YAML would silently keep the last one. Read from
    the nodes as written, before merge keys (<<: *defaults) add theirs."""
    problems: list[Problem] = []
    walked: set[int] = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in walked:
            continue
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key, line = key_node.value, key_node.start_mark.line + 1 + offset
                if key in first and key != "<<":
                    problems.append(Problem(
                        rel, line=line, field=_field_name(path + (key,)),
                        what=Text(f"項目「{key}」が2回書かれています（{first[key]} 行目と {line} 行目）。",
                                  f"the field '{key}' is written twice (lines {first[key]} and {line}); "
                                  "only one of them would be used."),
                        fix=Text("どちらか一つを消してください。", "delete one of them.")))
                first.setdefault(key, line)
                stack.append((value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path + (i,)) for i, item in enumerate(node.value))
    return problems


def _line_map(root: yaml.Node, offset: int) -> LineMap:
    """Each field's line. A part reached again through an alias is not walked again: its
    fields take the line of the field that holds the alias."""
    lines: LineMap = {}
    walked: set[int] = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1 + offset)
        if id(node) in walked:
            continue
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    # A field's line is that of its name, also when its value starts below it;
                    # after a merge key the mapping's own fields come last and win.
                    lines[path + (key_node.value,)] = key_node.start_mark.line + 1 + offset
                    stack.append((value_node, path + (key_node.value,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path + (i,)) for i, item in enumerate(node.value))
    return lines


def _syntax_problem(exc: yaml.YAMLError, text: str, rel: str, line_offset: int) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark else None
    detail = getattr(exc, "problem", None) or str(exc)
    source_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
    leading = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in leading or ("\t" in source_line and "cannot start any token" in detail):
        what = Text("タブ文字が使われています（YAML の字下げと区切りはスペースだけです）。",
                    "the line contains a tab character (YAML indents and separates with spaces only).")
        fix = Text("タブをスペースに置き換えてください（エディタの「タブをスペースに変換」）。",
                   "replace the tabs with spaces (your editor can convert them).")
    elif isinstance(exc, _ValueError):
        what = Text(f"値を読めません（{detail}）。", f"a value cannot be read ({detail}).")
        fix = Text("文字なら引用符で囲み（例: \"ABC\"）、数なら半角数字だけで書いてください。",
                   "put text in quotes (e.g. \"ABC\"); write a number with digits only.")
    elif "nesting depth" in detail:
        what = Text("入れ子が深すぎます。", "the values are nested too deeply.")
        fix = Text("「[」「{」の閉じ忘れや字下げを確かめてください。", "check for unclosed '[' or '{' and for the indentation.")
    elif "another document" in detail:
        what = Text("1つのファイルに、「---」で区切られた文書が2つ以上あります。",
                    "the file holds more than one document (parts separated by '---').")
        fix = Text("「---」の行を消して一つにまとめるか、ファイルを分けてください。",
                   "remove the '---' line to make it one, or split it into two files.")
    else:
        what = Text(f"YAML の書き方に誤りがあります（{detail}）。", f"YAML syntax error ({detail}).")
        fix = Text("その行と一つ前の行の字下げ（スペース）、「:」の後の空白、引用符の閉じ忘れを確かめてください。",
                   "check the indentation (spaces) of that line and the one before, the space after ':', "
                   "and that every quote is closed.")
    return Problem(rel, what, fix, line=line)


def parse_yaml(text: str, rel: str, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Parse YAML text; any problem with it becomes one Problem with the line where known."""
    if len(text) > MAX_BYTES:
        raise _too_large(rel, len(text.encode("utf-8", "surrogatepass")), MAX_BYTES)
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        shape = _shape_problem(node, rel, line_offset)
        if shape is not None:
            raise ContentErrors([shape])
        duplicates = _duplicate_keys(node, rel, line_offset)
        if duplicates:
            raise ContentErrors(duplicates)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ContentErrors([_syntax_problem(exc, text, rel, line_offset)]) from None
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as exc:
        # What the checks above and the constructors do not foresee: still a message, not a traceback.
        raise ContentErrors([Problem(
            rel, what=Text(f"YAML として読めません（{type(exc).__name__}）。", f"the file cannot be read as YAML ({type(exc).__name__})."),
            fix=Text("見本のファイルを写して書き直してください。", "start from a copy of a working file and edit it."))]) from None
    finally:
        loader.dispose()
    return data, _line_map(node, line_offset)


def load_yaml(path: Path, rel: str) -> tuple[Any, LineMap]:
    return parse_yaml(read_utf8(path, rel), rel)


def split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """Return (front matter YAML, body, line where the body starts) of a Markdown file."""
    if not text.startswith("---"):
        raise ContentErrors([Problem(
            rel, line=1,
            what=Text("先頭に「---」で囲んだ前付け（タイトルなど）がありません。",
                      "the file does not start with front matter between '---' lines."),
            fix=Text("1行目に「---」、続けて title: などの項目、最後に「---」の行を書いてください。",
                     "start the file with a line '---', the fields (title: …), and another '---' line."),
        )])
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise ContentErrors([Problem(
        rel, line=1,
        what=Text("前付けの終わりの「---」がありません。", "the front matter has no closing '---' line."),
        fix=Text("項目の後に「---」だけの行を入れてください。", "add a line with only '---' after the fields."),
    )])


def line_for(lines: LineMap, loc: tuple) -> int | None:
    """The line of the deepest part of loc that the file has (a missing field: its parent)."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
