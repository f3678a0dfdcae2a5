"""SVG lesson pictures reduced to plain drawings: a strict allow-list.

A lesson's SVG is published as a copy that holds only the elements and attributes of an
ordinary drawing (shapes, text, gradients, clipping, markers, patterns, simple filters).
What could run code or fetch anything is refused with a finding (its line in the SVG): a
DOCTYPE or entity declaration, <script>, event handlers (on…), <foreignObject>, embedded
pictures (<image>, <feImage>), HTML elements, a reference (href, xlink:href, url(…)) to
anything but an #id in the same file, and style sheets with imports, fonts, escapes or
script. What an editor leaves behind and a drawing does not need (Inkscape's and
Illustrator's own elements and attributes, metadata, comments, animation) is left out
silently. The parser reads no DTD, resolves no entity and opens no network connection.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"

ELEMENTS = frozenset("""
svg g path rect circle ellipse line polyline polygon text tspan textPath title desc defs
linearGradient radialGradient stop clipPath mask use symbol marker pattern style
filter feGaussianBlur feOffset feFlood feComposite feMerge feMergeNode feBlend feColorMatrix
feDropShadow feMorphology feComponentTransfer feFuncR feFuncG feFuncB feFuncA
""".split())
# Grouping only: left out, their drawing kept.
UNWRAPPED = frozenset({"a", "switch"})
# Refused: they run code, show another document or fetch a picture.
REFUSED = frozenset({"script", "foreignObject", "image", "feImage", "iframe", "embed", "object", "audio",
                     "video", "canvas", "handler", "listener"})
ATTRIBUTES = frozenset("""
id class style lang role aria-label aria-labelledby aria-describedby aria-hidden focusable tabindex
version baseProfile width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr d points pathLength
viewBox preserveAspectRatio transform dx dy rotate textLength lengthAdjust startOffset method spacing side
fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
stroke-dasharray stroke-dashoffset stroke-opacity opacity color display visibility overflow
clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits filter filterUnits primitiveUnits
font-family font-size font-size-adjust font-weight font-style font-variant font-stretch
text-anchor dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing
text-decoration writing-mode direction unicode-bidi white-space
gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity
markerWidth markerHeight markerUnits refX refY orient marker-start marker-mid marker-end
patternUnits patternContentUnits patternTransform
vector-effect shape-rendering text-rendering image-rendering color-rendering paint-order
color-interpolation color-interpolation-filters mix-blend-mode isolation
stdDeviation in in2 result mode operator k1 k2 k3 k4 values type flood-color flood-opacity
lighting-color radius tableValues slope intercept amplitude exponent edgeMode
media
""".split())
LOCAL_ID = re.compile(r"#[A-Za-z_][\w.:-]*")
# CSS that fetches or runs something; with escapes refused, these spellings are the only ones.
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
CSS_BAD = re.compile(r"@\s*(import|font-face)|(?<![\w-])(?:-webkit-)?(?:expression|image-set|image|cross-fade|element|src)"
                     r"\s*\(|-moz-binding|behavior\s*:|javascript:", re.I)


@dataclass(frozen=True)
class Finding:
    line: int | None
    ja: str
    en: str


class SvgRefused(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.en for f in findings))
        self.findings = findings


class _NoFiles(etree.Resolver):
    """Nothing outside the SVG's own bytes is ever read (no DTD, entity or XInclude file)."""

    def resolve(self, url, pubid, context):
        raise SvgRefused([Finding(None, f"外のファイル {url} を読もうとしています", f"it tries to read the outside file {url}")])


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, collect_ids=False)
    parser.resolvers.add(_NoFiles())
    return parser


def sanitise(data: bytes) -> bytes:
    """The drawing as it is published; raises SvgRefused with every reason to refuse it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SvgRefused([Finding(None, "文字コードが UTF-8 ではありません", "it is not UTF-8 text")]) from None
    # The declaration's encoding is what was just decoded; a DTD is refused before any
    # parser sees it (entity expansion, outside files).
    text = re.sub(r"^\s*<\?xml\s[^>]*\?>", "", text)
    m = re.search(r"<!(DOCTYPE|ENTITY)", text, re.I)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise SvgRefused([Finding(line, "<!DOCTYPE> や <!ENTITY> の宣言は使えません", "a <!DOCTYPE> or <!ENTITY> declaration")])
    try:
        root = etree.fromstring(text, _parser())
    except etree.XMLSyntaxError as exc:
        raise SvgRefused([Finding(getattr(exc, "lineno", None), f"SVG（XML）として読めません: {exc}",
                                  f"it cannot be read as SVG (XML): {exc}")]) from None
    findings: list[Finding] = []
    if root.tag != f"{{{SVG}}}svg":
        raise SvgRefused(findings + [Finding(root.sourceline, "いちばん外側が <svg xmlns=\"http://www.w3.org/2000/svg\"> ではありません",
                                             "the outermost element is not <svg xmlns=\"http://www.w3.org/2000/svg\">")])
    for pi in root.getroottree().getroot().itersiblings(preceding=True):
        if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-stylesheet":
            findings.append(Finding(pi.sourceline, "外のスタイルシート（xml-stylesheet）を読みこんでいます",
                                    "it loads an outside style sheet (xml-stylesheet)"))
    _attributes(root, findings)
    _clean(root, findings)
    if findings:
        raise SvgRefused(findings)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=False, encoding="UTF-8") + b"\n"


def _clean(el: etree._Element, findings: list[Finding]) -> None:
    for child in list(el):
        if not isinstance(child.tag, str):  # processing instructions, entities
            if isinstance(child, etree._Entity):
                findings.append(Finding(child.sourceline, f"実体参照 &{child.name}; は使えません",
                                        f"the entity reference &{child.name};"))
            _remove(child)
            continue
        qname = etree.QName(child)
        if qname.namespace == XHTML or (qname.namespace == SVG and qname.localname in REFUSED):
            findings.append(Finding(child.sourceline, f"<{qname.localname}> は使えません（プログラムや外のものを読みこめます）",
                                    f"<{qname.localname}> (it can run code or load something from outside)"))
            _remove(child)
            continue
        if qname.namespace != SVG or qname.localname not in ELEMENTS | UNWRAPPED:
            _remove(child)  # an editor's or an animation's: not part of the drawing
            continue
        _attributes(child, findings)
        _clean(child, findings)
        if qname.localname == "style":
            _style_sheet(child, findings)
        if qname.localname in UNWRAPPED:
            _unwrap(child)


def _attributes(el: etree._Element, findings: list[Finding]) -> None:
    for name, value in list(el.attrib.items()):
        qname = etree.QName(name)
        local = qname.localname
        if local.lower().startswith("on"):
            findings.append(Finding(el.sourceline, f"{local}= はプログラムを動かします", f"{local}= runs code"))
            del el.attrib[name]
        elif local == "href" and qname.namespace in (None, XLINK):
            if not LOCAL_ID.fullmatch(value.strip()):
                findings.append(Finding(el.sourceline, f"{local}=\"{value[:60]}\" は外のものを指しています（同じファイルの #id だけが使えます）",
                                        f"{local}=\"{value[:60]}\" points outside the file (only #id in the same file is allowed)"))
                del el.attrib[name]
            else:
                el.set(name, value.strip())
        elif (qname.namespace is None and local in ATTRIBUTES) or (qname.namespace == XML and local in ("space", "lang")):
            problem = css_problem(value)
            if problem:
                findings.append(Finding(el.sourceline, f"{local}=: {problem[0]}", f"{local}=: {problem[1]}"))
                del el.attrib[name]
        else:
            del el.attrib[name]  # an editor's (inkscape:…, sodipodi:…, data-…) or unknown


def css_problem(css: str) -> tuple[str, str] | None:
    """Why a style sheet, style attribute or presentation value may not be published, or None."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    if "\\" in css:
        return "CSS のエスケープ（\\）は使えません", "a CSS escape (\\)"
    for m in CSS_URL.finditer(css):
        if not LOCAL_ID.fullmatch(m.group(2).strip()):
            return (f"url({m.group(2)[:60]}) は外のものを指しています（url(#id) だけが使えます）",
                    f"url({m.group(2)[:60]}) points outside the file (only url(#id) is allowed)")
    rest = CSS_URL.sub("", css)
    m = CSS_BAD.search(rest)
    if m:
        return f"「{m.group()}」は使えません（外のものを読みこむかプログラムを動かします）", \
               f"'{m.group()}' (it loads something from outside or runs code)"
    if re.search(r"url\s*\(", rest, re.I):  # an unclosed or odd url( the pattern above did not read
        return "url( の書き方が読めません", "an url( that cannot be read"
    return None


def _style_sheet(el: etree._Element, findings: list[Finding]) -> None:
    problem = css_problem(el.text or "")
    if problem:
        findings.append(Finding(el.sourceline, f"<style>: {problem[0]}", f"<style>: {problem[1]}"))


def _remove(el: etree._Element) -> None:
    """Take el out of its parent, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    """Replace el by its children, keeping its text."""
    parent = el.getparent()
    index = parent.index(el)
    if el.text:
        if index > 0:
            parent[index - 1].tail = (parent[index - 1].tail or "") + el.text
        else:
            parent.text = (parent.text or "") + el.text
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)  # lxml moves the child with its tail
    _remove(el)
