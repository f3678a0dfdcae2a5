"""Site settings, read from mkdocs.yml: the one file a ward edits to name and place its site."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentErrors, Problem, Text
from .yamlfile import load_yaml


@dataclass(frozen=True)
class Ward:
    """The publishing body, as the national open-data datasets name it."""

    code: str = ""  # 全国地方公共団体コード (6 digits)
    prefecture: str = ""
    city: str = ""
    name_en: str = ""
    phone: str = ""


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    site_name: str
    site_name_en: str
    site_url: str
    description: str
    description_en: str
    copyright: str
    ward: Ward
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def url(self, site_url: str | None = None) -> str:
        url = site_url or self.site_url
        return url if url.endswith("/") else url + "/"


def load_config(root: Path) -> SiteConfig:
    path = root / "mkdocs.yml"
    rel = "mkdocs.yml"
    if not path.exists():
        raise ContentErrors([Problem(rel, Text("mkdocs.yml がありません。", "mkdocs.yml is missing."),
                                     Text("リポジトリの一番上のフォルダで実行してください。",
                                          "run the command in the repository's top folder."))])
    try:
        raw, _ = load_yaml(path, rel)
    except yaml.YAMLError:  # pragma: no cover - load_yaml turns these into ContentErrors
        raise
    raw = raw or {}
    extra = raw.get("extra") or {}
    problems = []
    for key in ("site_name", "site_url"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            problems.append(Problem(rel, Text("必須の設定がありません。", "a required setting is missing."),
                                    Text(f"{key}: を書いてください。", f"add {key}:."), field=key))
    if problems:
        raise ContentErrors(problems)
    ward = extra.get("ward") or {}
    return SiteConfig(
        root=root,
        site_name=raw["site_name"],
        site_name_en=str(extra.get("site_name_en") or raw["site_name"]),
        site_url=raw["site_url"],
        description=str(raw.get("site_description") or ""),
        description_en=str(extra.get("site_description_en") or raw.get("site_description") or ""),
        copyright=str(raw.get("copyright") or ""),
        ward=Ward(**{k: str(v) for k, v in ward.items() if k in Ward.__dataclass_fields__}),
        raw=raw,
    )
