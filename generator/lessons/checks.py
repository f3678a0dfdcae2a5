"""`sitegen check` for lessons: the format rules (errors) and readability (warnings)."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import ContentErrors, Problem, Text
from ..models.lessons import Lesson
from ..yamlfile import parse_yaml, read_utf8, split_front_matter
from .convert import convert_lesson
from .glossary import load_glossary
from .readability import front_matter_warnings, readability_warnings

IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
PICTURE_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}


def check_lessons(lessons: list[Lesson], root: Path) -> list[Problem]:
    """Every lesson, with the glossary read once (its own problems reported once)."""
    glossary, problems = load_glossary(root)
    for lesson in lessons:
        problems += check_lesson(lesson, root, glossary)
    return problems


def check_lesson(lesson: Lesson, root: Path, glossary: dict[str, str] | None = None) -> list[Problem]:
    if glossary is None:
        glossary, problems = load_glossary(root)
    else:
        problems = []
    rel, lines = lesson.source, lesson.body.split("\n")
    problems += _pictures(lesson, root, lines)
    result = convert_lesson(lesson, glossary)
    if "steps" not in result.sections:
        problems.append(Problem(rel, Text("「## 手順」の見出しがありません。", "there is no '## 手順' (steps) heading."),
                                Text("「## 手順」の下に、1. 2. 3. と番号をつけて手順を書いてください。",
                                     "add '## 手順' and the numbered steps (1. 2. 3.) below it."),
                                line=lesson.body_line))
    for kind, heading in (("trouble", "困ったときは"), ("check", "たしかめよう")):
        if kind not in result.sections:
            problems.append(Problem(rel, Text(f"「## {heading}」の節がありません。", f"there is no '## {heading}' section."),
                                    Text(f"最後に「## {heading}」の節を加えてください。", f"add a '## {heading}' section at the end."),
                                    line=lesson.body_line, severity="warning"))
    for finding in result.findings:
        line = _line_of(lines, finding.text, lesson.body_line)
        if finding.kind == "step-without-picture":
            problems.append(Problem(rel, Text(f"手順「{finding.text[:20]}」に絵がありません。",
                                              f"the step '{finding.text[:20]}' has no picture."),
                                    Text("手順の下の行に ![絵の説明](images/…svg) を加えてください。",
                                         "add ![what the picture shows](images/….svg) on the line below the step."),
                                    line=line, severity="warning"))
        elif finding.kind == "bad-tab":
            problems.append(Problem(rel, Text(f"タブ「{finding.text}」は使えません。", f"the tab '{finding.text}' is not a phone type."),
                                    Text("「/// tab | Android」か「/// tab | iPhone」と書いてください。",
                                         "write '/// tab | Android' or '/// tab | iPhone'."), line=line))
    problems += readability_warnings(lesson.body, rel, lesson.body_line)
    problems += front_matter_warnings(_front_texts(lesson, root), rel)
    return problems


def _front_texts(lesson: Lesson, root: Path) -> list[tuple[str, int | None]]:
    """Objectives, what to bring and the summary, each with its line in the file."""
    try:  # the file parsed a moment ago in load_lessons; only its line numbers are wanted here
        front, _, _ = split_front_matter(read_utf8(root / lesson.source, lesson.source), lesson.source)
        _, lines = parse_yaml(front, lesson.source, line_offset=1)
    except (ContentErrors, OSError):  # the file changed since: warn without line numbers
        lines = {}
    meta = lesson.meta
    texts = [(t, lines.get(("objectives", i))) for i, t in enumerate(meta.objectives)]
    texts += [(t, lines.get(("bring", i))) for i, t in enumerate(meta.bring)]
    if meta.summary:
        texts.append((meta.summary, lines.get(("summary",))))
    return texts


def _pictures(lesson: Lesson, root: Path, lines: list[str]) -> list[Problem]:
    """Every picture needs alt text (what it shows) and a file in lessons/images/."""
    problems: list[Problem] = []
    folder = (root / "lessons" / "images").resolve()
    for i, text in enumerate(lines):
        line = lesson.body_line + i
        for m in IMAGE_RE.finditer(text):
            alt, src = m.group(1).strip(), m.group(2)
            if not alt:
                problems.append(Problem(lesson.source, Text(f"絵 {src} に説明（代わりの文）がありません。",
                                                            f"the picture {src} has no alt text."),
                                        Text("![ここに絵の説明](…) のように、[ ] の中に絵が何を見せているかを書いてください。",
                                             "write what the picture shows between the brackets: ![what it shows](…)."),
                                        field="alt", line=line))
            path = (root / "lessons" / src).resolve()
            if "://" in src or not path.is_relative_to(folder) or not path.is_file() or path.suffix.lower() not in PICTURE_TYPES:
                problems.append(Problem(lesson.source, Text(f"絵のファイル lessons/{src} がありません。",
                                                            f"the picture lessons/{src} does not exist."),
                                        Text(f"絵を lessons/images/{lesson.slug}/ に入れ、images/{lesson.slug}/名前.svg と書いてください"
                                             "（SVG, PNG, JPEG, WebP）。",
                                             f"put the picture in lessons/images/{lesson.slug}/ and write images/{lesson.slug}/name.svg "
                                             "(SVG, PNG, JPEG or WebP)."),
                                        field="src", line=line))
    return problems


def _line_of(lines: list[str], text: str, first: int) -> int:
    probe = text.strip()[:8]
    for i, line in enumerate(lines):
        if probe and probe in re.sub(r"\{([^{}|]+)\|[^{}]+\}", r"\1", line):
            return first + i
    return first
