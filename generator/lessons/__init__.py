"""Lessons as instructors write them, turned into the pages seniors read.

The lesson body is plain Markdown plus a few conventions (DESIGN.md, "Lessons and
schedules"): `{漢字|かんじ}` furigana, a `## 手順` section of numbered steps each with one
picture, `/// tab | Android` … `///` where the phones differ, `## 困ったときは`, and
`## たしかめよう` questions with `答え：`. This package converts that to HTML (convert.py)
and checks it (checks.py); the render step only places the HTML in a page.
"""
from .checks import check_lesson, check_lessons
from .convert import LessonHTML, convert_lesson

__all__ = ["check_lesson", "check_lessons", "convert_lesson", "LessonHTML"]
