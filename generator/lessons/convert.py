"""A lesson's Markdown body -> HTML, with the lesson conventions (see __init__)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions import Extension

from ..models.lessons import Lesson
from .furigana import FURIGANA_RE, FuriganaProcessor
from .glossary import GlossaryProcessor
from .safelinks import SafeLinksExtension
from .structure import Finding, LessonStructure, Picture


@dataclass
class LessonHTML:
    html: str
    sections: list[str] = field(default_factory=list)  # "steps", "trouble", "check" or "other", in order
    pictures: list[Picture] = field(default_factory=list)  # in page order, addresses as written
    findings: list[Finding] = field(default_factory=list)

    @property
    def images(self) -> list[str]:
        return [p.src for p in self.pictures]


class LessonExtension(Extension):
    def __init__(self, image_url: Callable[[str], str | None], glossary: dict[str, str], lang: str):
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


def convert_lesson(lesson: Lesson, glossary: dict[str, str], image_url: Callable[[str], str | None] = str,
                   lang: str = "ja") -> LessonHTML:
    """The lesson's HTML and what the page is made of; image_url gives each picture's address
    in the page (links and picture addresses are then judged by safelinks)."""
    ext = LessonExtension(image_url, glossary, lang)
    md = markdown.Markdown(extensions=[ext, SafeLinksExtension(), "pymdownx.blocks.tab", "tables", "sane_lists"],
                           lazy_ol=False, output_format="html")
    html = md.convert(lesson.body)
    structure: LessonStructure = md.treeprocessors["lesson_structure"]  # type: ignore[assignment]
    return LessonHTML(html=html, sections=structure.sections, pictures=structure.pictures,
                      findings=structure.findings)
