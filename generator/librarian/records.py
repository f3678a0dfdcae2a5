"""Writing item records the way a librarian would: fields in the model's order, block style,
UTF-8, and nothing rewritten when nothing changed. Plus the all-or-nothing file writer that
`add` and `import` share."""
from __future__ import annotations

import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..errors import BuildError, Text
from ..models.archive import Item
from ..models.common import inner_model


def ordered(data: Any, model: type[BaseModel] | None = Item) -> Any:
    """data with its keys in the model's field order (unknown keys last, as they were)."""
    if isinstance(data, list):
        return [ordered(v, model) for v in data]
    if not isinstance(data, dict) or model is None:
        return data
    fields = model.model_fields
    keys = [k for k in fields if k in data] + [k for k in data if k not in fields]
    return {k: ordered(data[k], inner_model(fields[k].annotation) if k in fields else None) for k in keys}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_record(data: dict) -> str:
    return yaml.dump(ordered(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096)


_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A safe id from a file name or title: 'Hokusai Fugaku36 01.JPG' -> 'hokusai-fugaku36-01'.
    Japanese is written in romaji (pykakasi); '' when nothing usable is left."""
    s = unicodedata.normalize("NFKC", text)
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", s):
        import pykakasi  # here for start-up time: its dictionaries load only for Japanese text

        s = " ".join(part["hepburn"] for part in pykakasi.kakasi().convert(s))
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = _SLUG_CHARS.sub("-", s).strip("-")
    return s[:64].rstrip("-")


@dataclass
class Changes:
    """Files to write, applied all together or not at all."""

    copies: list[tuple[Path, Path]] = field(default_factory=list)  # (source scan, destination)
    texts: list[tuple[Path, str]] = field(default_factory=list)  # (record path, new text)

    def __bool__(self) -> bool:
        return bool(self.copies or self.texts)

    def apply(self) -> None:
        """Stage every file beside its target, then rename them into place; on any failure,
        remove what was staged and put back what was replaced."""
        staged: list[tuple[Path, Path]] = []
        done: list[tuple[Path, Path | None]] = []  # (target, backup of the file it replaced)
        made: list[Path] = []  # folders this run created

        def folder(path: Path) -> None:
            missing = [p for p in (path, *path.parents) if not p.exists()]
            path.mkdir(parents=True, exist_ok=True)
            made.extend(reversed(missing))

        try:
            for src, dest in self.copies:
                folder(dest.parent)
                tmp = dest.with_name(f".{dest.name}.sitegen-tmp")
                shutil.copy2(src, tmp)  # a copy: the librarian's original stays where it was
                staged.append((tmp, dest))
            for dest, text in self.texts:
                folder(dest.parent)
                tmp = dest.with_name(f".{dest.name}.sitegen-tmp")
                tmp.write_text(text, encoding="utf-8", newline="\n")
                staged.append((tmp, dest))
            for tmp, dest in staged:
                backup = None
                if dest.exists():
                    backup = dest.with_name(f".{dest.name}.sitegen-old")
                    os.replace(dest, backup)
                os.replace(tmp, dest)
                done.append((dest, backup))
        except BaseException:
            for dest, backup in reversed(done):
                if backup is not None:
                    os.replace(backup, dest)
                else:
                    dest.unlink(missing_ok=True)
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            for path in reversed(made):
                try:
                    path.rmdir()
                except OSError:
                    pass
            raise
        for _, backup in done:
            if backup is not None:
                backup.unlink(missing_ok=True)


def write_all(changes: Changes) -> None:
    """Apply the changes; a disk failure becomes one sentence (and nothing is left changed)."""
    try:
        changes.apply()
    except OSError as exc:
        raise BuildError(
            Text(f"ファイルを書けませんでした（{exc.strerror}: {exc.filename or ''}）。何も変更していません。",
                 f"could not write the files ({exc.strerror}: {exc.filename or ''}). Nothing was changed."),
            Text("ディスクの空きと、フォルダへの書き込み権限を確かめてから、もう一度実行してください。",
                 "check the free disk space and that the folders are writable, then run it again.")) from exc
