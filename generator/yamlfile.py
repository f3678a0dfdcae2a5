"""Reading content files: UTF-8 text, YAML with the line of every field, front matter.

Line numbers matter to a librarian looking at a 40-line record: every loader here returns,
beside the data, a map from a field's path (("images", 0, "file")) to its line.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentErrors, Problem, Text

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LineMap = dict[tuple, int]


def read_utf8(path: Path, rel: str) -> str:
    raw = path.read_bytes()
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


def _line_map(node: yaml.Node, path: tuple, out: LineMap) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_map(value_node, path + (key,), out)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, path + (i,), out)


def parse_yaml(text: str, rel: str, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Parse YAML text; syntax errors become one Problem with the line."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise ContentErrors([Problem(
            rel, line=line,
            what=Text(f"YAML の書き方に誤りがあります（{detail}）。", f"YAML syntax error ({detail})."),
            fix=Text("その行と一つ前の行の字下げ（スペース）、「:」の後の空白、引用符の閉じ忘れを確かめてください。",
                     "check the indentation (spaces) of that line and the one before, the space after ':', "
                     "and that every quote is closed."),
        )]) from None
    finally:
        loader.dispose()
    lines: LineMap = {}
    _line_map(node, (), lines)
    if line_offset:
        lines = {k: v + line_offset for k, v in lines.items()}
    return data, lines


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
