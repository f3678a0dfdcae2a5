"""The shape of a lesson page, made from the instructor's plain Markdown.

- `## 手順`: every numbered list in it is a list of steps (one action, one picture each).
- `/// tab | Android` … `///` (pymdownx.blocks.tab): Android and iPhone variants, rewritten
  into phone tabs whose choice reading-aids.js remembers; without JavaScript, and on paper,
  each variant is shown under its own heading.
- `## 困ったときは`: help when stuck. `## たしかめよう`: questions; `答え：…` becomes a
  hidden answer the reader opens.
Anything that does not fit is recorded as a finding; checks.py turns findings into messages.
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Callable

from markdown.treeprocessors import Treeprocessor

SECTIONS = {"手順": "steps", "困ったときは": "trouble", "たしかめよう": "check"}
PHONES = {"android": "Android", "iphone": "iPhone"}
ANSWER_RE = re.compile(r"(答え|こたえ)\s*[:：]\s*")


@dataclass(frozen=True)
class Picture:
    src: str  # the address as Markdown's tree holds it (inline or from a reference definition)
    alt: str


@dataclass
class Finding:
    kind: str  # "step-without-picture", "bad-tab", "question-without-answer"
    text: str  # words from the place, to find its line in the source


def plain_text(el: etree.Element) -> str:
    """What the element says, without furigana readings."""
    parts = [el.text or ""]
    for child in el:
        if child.tag not in ("rt", "rp"):
            parts.append(plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def section_kind(heading: etree.Element) -> str | None:
    title = unicodedata.normalize("NFKC", plain_text(heading)).strip()
    return SECTIONS.get(title)


class LessonStructure(Treeprocessor):
    """image_url gives a picture's address in the page (None: the picture is shown without one)."""

    def __init__(self, md, image_url: Callable[[str], str | None], lang: str):
        super().__init__(md)
        self.image_url = image_url
        self.lang = lang

    def run(self, root: etree.Element) -> None:
        self.findings: list[Finding] = []
        self.sections: list[str] = []
        self.pictures: list[Picture] = []
        self.tab_sets = 0
        children = list(root)
        root[:] = []
        section: etree.Element | None = None
        for child in children:
            if child.tag == "h2":
                kind = section_kind(child) or "other"
                self.sections.append(kind)
                section = etree.SubElement(root, "section", {"class": f"lesson-section lesson-section--{kind}"})
                if kind != "other":
                    child.set("id", kind)
            (section if section is not None else root).append(child)
        for sec in root.iter("section"):
            kind = sec.get("class", "").rsplit("--", 1)[-1]
            self._tabs(sec)
            if kind == "steps":
                self._steps(sec)
            elif kind == "check":
                self._answers(sec)
        # Every picture, however it was written (inline, reference-style, with any title):
        # this is the one list both `sitegen check` and the build read.
        for img in root.iter("img"):
            src = img.get("src", "")
            self.pictures.append(Picture(src, img.get("alt", "")))
            url = self.image_url(src)
            if url is None:
                img.attrib.pop("src", None)
            else:
                img.set("src", url)
            img.set("class", "lesson-picture")

    # Steps ---------------------------------------------------------------------------
    def _steps(self, section: etree.Element) -> None:
        # A list inside a step (choices on the screen, say) is part of that step, not more steps.
        inner = {ol for li in section.iter("li") for ol in li.iter("ol")}
        for ol in section.iter("ol"):
            if ol in inner:
                continue
            ol.set("class", "lesson-steps")
            for li in ol.findall("li"):
                li.set("class", "lesson-step")
                if li.find(".//img") is None:
                    self.findings.append(Finding("step-without-picture", plain_text(li).strip()))

    # Phone tabs ----------------------------------------------------------------------
    def _tabs(self, section: etree.Element) -> None:
        for parent in list(section.iter()):
            for i, tabbed in enumerate(list(parent)):
                if tabbed.tag == "div" and "tabbed-set" in (tabbed.get("class") or "").split():
                    parent.remove(tabbed)
                    parent.insert(i, self._phone_tabs(tabbed))

    def _phone_tabs(self, tabbed: etree.Element) -> etree.Element:
        self.tab_sets += 1
        n = self.tab_sets
        labels = [plain_text(label).strip() for label in tabbed.findall("label")]
        contents = tabbed.findall("div")
        box = etree.Element("div", {"class": "phone-tabs", "data-phone-tabs": ""})
        tablist = etree.SubElement(box, "div", {
            "class": "phone-tabs__list", "role": "tablist", "hidden": "hidden",
            "aria-label": "スマホの種類" if self.lang == "ja" else "Type of phone"})
        for label, content in zip(labels, contents):
            key = unicodedata.normalize("NFKC", label).strip().lower()
            if key not in PHONES:
                self.findings.append(Finding("bad-tab", label))
                key = re.sub(r"[^a-z0-9]+", "-", key) or "other"
            tab = etree.SubElement(tablist, "button", {
                "type": "button", "role": "tab", "class": "phone-tabs__tab", "data-phone": key,
                "id": f"phone-tab-{n}-{key}", "aria-controls": f"phone-panel-{n}-{key}", "aria-selected": "false"})
            tab.text = PHONES.get(key, label)
            panel = etree.SubElement(box, "div", {"class": "phone-panel", "data-phone": key,
                                                  "id": f"phone-panel-{n}-{key}"})
            title = etree.SubElement(panel, "h3", {"class": "phone-panel__title"})
            title.text = (f"{PHONES.get(key, label)} のとき" if self.lang == "ja"
                          else f"On {PHONES.get(key, label)}")
            for child in list(content):
                panel.append(child)
        return box

    # Check questions -----------------------------------------------------------------
    def _answers(self, section: etree.Element) -> None:
        for li in section.iter("li"):
            target = li.find("p") if li.find("p") is not None else li
            answer = _split_off_answer(target)
            if answer is None:
                if li.find(".//details") is None:  # not an inner list of an answered question
                    self.findings.append(Finding("question-without-answer", plain_text(li).strip()))
                continue
            details = etree.SubElement(li, "details", {"class": "check-answer"})
            summary = etree.SubElement(details, "summary")
            summary.text = "答えを見る" if self.lang == "ja" else "Show the answer"
            details.append(answer)


def _split_off_answer(el: etree.Element) -> etree.Element | None:
    """Move everything after '答え：' in el into a new <p>; None when there is no answer."""
    answer = etree.Element("p")
    m = ANSWER_RE.search(el.text or "")
    if m:
        answer.text = el.text[m.end():]
        el.text = el.text[:m.start()]
        moved = list(el)
    else:
        for i, child in enumerate(list(el)):
            m = ANSWER_RE.search(child.tail or "")
            if m:
                answer.text = child.tail[m.end():]
                child.tail = child.tail[:m.start()]
                moved = list(el)[i + 1:]
                break
        else:
            return None
    for child in moved:
        el.remove(child)
        answer.append(child)
    return answer
