"""The lesson checks that loading runs (so `sitegen check` and every build): the format rules
(errors) and readability (warnings)."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import ContentErrors, Problem, Text
from ..models.lessons import Lesson
from ..yamlfile import parse_yaml, read_utf8, split_front_matter
from .convert import convert_lesson
from .glossary import load_glossary
from .pictures import PictureError, picture_path, prepare, shown
from .readability import front_matter_warnings, readability_warnings
from .safelinks import browser_address
from .structure import Picture

# A published lesson picture larger than this is slow on a phone on a pay-as-you-go plan.
PICTURE_BUDGET = 300_000


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
    rel, lines, first = lesson.source, lesson.body.split("\n"), lesson.body_line
    result = convert_lesson(lesson, glossary)
    problems += _pictures(lesson, root, lines, first, result.pictures)
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
        line = _line_of(lines, finding.text, first)
        if finding.kind == "step-without-picture":
            problems.append(Problem(rel, Text(f"手順「{finding.text[:20]}」に絵がありません。",
                                              f"the step '{finding.text[:20]}' has no picture."),
                                    Text("手順の下の行に ![絵の説明](images/…svg) を加えてください。",
                                         "add ![what the picture shows](images/….svg) on the line below the step."),
                                    line=line, severity="warning"))
        elif finding.kind == "question-without-answer":
            problems.append(Problem(rel, Text(f"問題「{finding.text[:20]}」に答えがありません。",
                                              f"the question '{finding.text[:20]}' has no answer."),
                                    Text("問題の次の行に「答え：…」を書いてください（読む人が開いて確かめます）。",
                                         "write '答え：…' on the line after the question (readers open it to check)."),
                                    line=line, severity="warning"))
        elif finding.kind == "bad-tab":
            problems.append(Problem(rel, Text(f"タブ「{finding.text}」は使えません。", f"the tab '{finding.text}' is not a phone type."),
                                    Text("「/// tab | Android」か「/// tab | iPhone」と書いてください。",
                                         "write '/// tab | Android' or '/// tab | iPhone'."), line=line))
    problems += readability_warnings(lesson.body, rel, first)
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


def _pictures(lesson: Lesson, root: Path, lines: list[str], first: int, pictures: list[Picture]) -> list[Problem]:
    """Every picture the page shows (from the same parse the build uses) needs alt text and
    a file in the lesson's own folder that may be published (pictures.prepare: the build
    publishes exactly what passes here)."""
    problems: list[Problem] = []
    for picture in pictures:
        if not picture.alt.strip():
            name = shown(browser_address(picture.src))
            problems.append(Problem(lesson.source, Text(f"絵 {name} に説明（代わりの文）がありません。",
                                                        f"the picture {name} has no alt text."),
                                    Text("![ここに絵の説明](…) のように、[ ] の中に絵が何を見せているかを書いてください。",
                                         "write what the picture shows between the brackets: ![what it shows](…)."),
                                    field="alt", line=_line_of_picture(lines, picture, first)))
        try:
            rel = picture_path(picture.src, lesson.slug)
            published = prepare(root, rel, lesson.slug, root / ".cache")
        except PictureError as exc:
            problems.append(Problem(lesson.source, exc.what, exc.fix, field="src",
                                    line=_line_of_picture(lines, picture, first, by_src=True)))
            continue
        size = len(published.data)
        if size > PICTURE_BUDGET:
            problems.append(Problem(lesson.source, Text(
                f"絵 lessons/{rel} は公開すると {size // 1000} KB あり、スマホで表示に時間がかかります（目安 {PICTURE_BUDGET // 1000} KB まで）。",
                f"the picture lessons/{rel} is {size // 1000} KB as published, slow to load on a phone "
                f"(the budget is {PICTURE_BUDGET // 1000} KB)."),
                Text("見せたい所だけを切り抜くか、写真ではなく簡単な絵（SVG）にしてください。",
                     "crop it to what the step shows, or use a simple drawing (SVG) instead of a photo."),
                field="src", line=_line_of_picture(lines, picture, first, by_src=True), severity="warning"))
    return problems


def _line_of_picture(lines: list[str], picture: Picture, first: int, by_src: bool = False) -> int:
    """The line that writes the picture: for its address, the line holding the address (for a
    reference-style picture, the reference's definition), else the line with ![alt."""
    src = browser_address(picture.src)
    opening = "![" + picture.alt
    tests = [lambda t: opening in t and src in t, lambda t: src in t, lambda t: opening in t]
    if not by_src:
        tests = [tests[0], tests[2], tests[1]]
    for test in tests:
        for i, line in enumerate(lines):
            if test(line):
                return first + i
    return first


def _line_of(lines: list[str], text: str, first: int) -> int:
    probe = text.strip()[:8]
    for i, line in enumerate(lines):
        if probe and probe in re.sub(r"\{([^{}|]+)\|[^{}]+\}", r"\1", line):
            return first + i
    return first
