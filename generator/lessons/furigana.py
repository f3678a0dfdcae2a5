"""`{漢字|かんじ}` -> <ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>.

<rp> keeps the reading in brackets where ruby is not shown (text browsers, copy & paste).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markupsafe import Markup, escape

FURIGANA_RE = re.compile(r"\{([^{}|\n]+)\|([^{}|\n]+)\}")


def ruby(base: str, reading: str) -> etree.Element:
    el = etree.Element("ruby")
    el.text = base
    rp = etree.SubElement(el, "rp")
    rp.text = "("
    rt = etree.SubElement(el, "rt")
    rt.text = reading
    rp = etree.SubElement(el, "rp")
    rp.text = ")"
    return el


def strip_furigana(text: str) -> str:
    """The text as it reads on the page without readings (for length and kanji checks)."""
    return FURIGANA_RE.sub(lambda m: m.group(1), text)


def append_text(parent: etree.Element, text: str) -> None:
    """Add text with furigana syntax to parent as text and <ruby> children."""
    pos = 0
    for m in FURIGANA_RE.finditer(text):
        _add(parent, text[pos:m.start()])
        parent.append(ruby(m.group(1).strip(), m.group(2).strip()))
        pos = m.end()
    _add(parent, text[pos:])


def _add(parent: etree.Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class FuriganaProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        return ruby(m.group(1).strip(), m.group(2).strip()), m.start(0), m.end(0)


def furigana_markup(text: str) -> Markup:
    """Text from front matter (objectives, what to bring) as escaped HTML with <ruby>."""
    parts, pos = [], 0
    for m in FURIGANA_RE.finditer(text):
        parts.append(escape(text[pos:m.start()]))
        parts.append(Markup("<ruby>{}<rp>(</rp><rt>{}</rt><rp>)</rp></ruby>").format(m.group(1).strip(), m.group(2).strip()))
        pos = m.end()
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)
