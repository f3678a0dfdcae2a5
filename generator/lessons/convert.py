"""A lesson's Markdown body -> HTML, with the lesson conventions (see __init__)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..models.lessons import Lesson
from .furigana import FURIGANA_RE, FuriganaProcessor
from .glossary import GlossaryProcessor
from .structure import Finding, LessonStructure


@dataclass
class LessonHTML:
    html: str
    sections: list[str] = field(default_factory=list)  # "steps", "trouble", "check" or "other", in order
    images: list[str] = field(default_factory=list)  # picture paths as written (relative to lessons/)
    findings: list[Finding] = field(default_factory=list)


_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


class SafeLinks(Treeprocessor):
    """Links and pictures keep only web, mail and phone addresses (or addresses inside the
    site): a `javascript:` link written as Markdown becomes plain text."""

    def run(self, root):  # noqa: D401 - Markdown's API
        for element in root.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is None:
                    continue
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if ":" in scheme.split("/", 1)[0] and not scheme.startswith(_SAFE_SCHEMES):
                    del element.attrib[attr]
                    if element.tag == "a":
                        element.tag = "span"
        return None


class LessonExtension(Extension):
    def __init__(self, image_url: Callable[[str], str], glossary: dict[str, str], lang: str):
        super().__init__()
        self.image_url, self.glossary, self.lang = image_url, glossary, lang

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Raw HTML is shown as text: a lesson is Markdown only, so it cannot carry scripts
        # or pictures without alt text past the checks.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(FuriganaProcessor(FURIGANA_RE.pattern, md), "furigana", 200)
        md.treeprocessors.register(LessonStructure(md, self.image_url, self.lang), "lesson_structure", 6)
        md.treeprocessors.register(GlossaryProcessor(md, self.glossary), "glossary", 5)
        md.treeprocessors.register(SafeLinks(md), "safe_links", 1)


def convert_lesson(lesson: Lesson, glossary: dict[str, str], image_url: Callable[[str], str] = str,
                   lang: str = "ja") -> LessonHTML:
    ext = LessonExtension(image_url, glossary, lang)
    md = markdown.Markdown(extensions=[ext, "pymdownx.blocks.tab", "tables", "sane_lists"],
                           lazy_ol=False, output_format="html")
    html = md.convert(lesson.body)
    structure: LessonStructure = md.treeprocessors["lesson_structure"]  # type: ignore[assignment]
    return LessonHTML(html=html, sections=structure.sections, images=structure.images,
                      findings=structure.findings)
