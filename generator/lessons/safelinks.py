"""Links and pictures in rendered Markdown keep only addresses a reader can safely follow.

A Markdown extension (`makeExtension`, Python-Markdown's interface, which MkDocs also loads
by name from `markdown_extensions`) whose tree processor reads every address the way a
browser will: Python-Markdown writes character references in an attribute as they are
(`jav&#x61;script:` reaches the browser, which decodes it), so an address is judged after
Markdown's own placeholders are put back, after HTML character references are decoded, and
after the whitespace and control characters a browser ignores are dropped. A link keeps an
address inside the site (a relative one) or one with http, https, mailto or tel, and
otherwise becomes plain text; a picture (or anything else a browser loads without asking)
keeps only an address inside the site. Event-handler attributes (on…) are dropped.
"""
from __future__ import annotations

import html
import re
import urllib.parse
import xml.etree.ElementTree as etree

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Attributes a browser follows (LINKS) or loads without asking (LOADS). Markdown itself makes
# only href and src; the others can arrive through attr_list (`{: formaction=… }`).
LINKS = ("href", "action", "formaction", "xlink:href", "cite")
# The site loads nothing from any other host: what a page loads must be inside the site.
LOADS = ("src", "srcset", "poster", "data", "background")
_ESCAPED = re.compile(f"{util.STX}(\\d+){util.ETX}")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.I)
# What the WHATWG URL parser removes: C0 controls and space at either end, tab and newlines anywhere.
_ENDS = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def browser_address(value: str, every_reference: bool = False) -> str:
    """The address a browser follows for an attribute value in Python-Markdown's tree.

    Python-Markdown's serializer keeps a character reference ending in ';' as it is and
    writes any other '&' as '&amp;'; the browser then decodes what was kept. every_reference
    decodes references without ';' too (as html.unescape does): stricter, for judging only.
    """
    value = value.replace(util.AMP_SUBSTITUTE, "&")  # automatic mail links, encoded as &#NN;
    value = _ESCAPED.sub(lambda m: chr(int(m.group(1))), value)  # backslash escapes
    value = html.unescape(value) if every_reference else _REFERENCE.sub(lambda m: html.unescape(m.group()), value)
    return _TAB_NEWLINE.sub("", value.strip(_ENDS))


def scheme_of(address: str) -> str | None:
    """The scheme an address names (lower case), or None for an address inside the site.

    Stricter than a browser: anything before the first ':' that comes before any '/', '?' or
    '#' counts as a scheme, with percent-encoding and invisible characters removed, so that a
    disguised scheme is refused rather than taken for a path.
    """
    head = re.split(r"[/?#]", address, maxsplit=1)[0]
    if ":" not in head:
        return None
    scheme = head.split(":", 1)[0]
    return _INVISIBLE.sub("", urllib.parse.unquote(scheme)).lower()


def is_safe(address: str, inside_site: bool = False) -> bool:
    """A relative address, or (unless inside_site) one with a safe scheme."""
    scheme = scheme_of(address)
    if scheme is None:  # "//host/…" and its backslash forms name another host
        return not re.match(r"[/\\]{2}", address)
    return not inside_site and scheme in SAFE_SCHEMES


def address_safe(value: str, name: str = "href") -> bool:
    """Whether the value of attribute `name` from Python-Markdown's tree is safe to publish,
    read both as the browser will and with every character reference decoded."""
    for address in (browser_address(value), browser_address(value, every_reference=True)):
        if util.STX in address or util.ETX in address:
            return False  # a placeholder Markdown never resolved: no address a reader meant
        parts = [p.strip().split(" ", 1)[0] for p in address.split(",") if p.strip()] if name == "srcset" \
            else [address]
        if not all(is_safe(p, inside_site=name in LOADS) for p in parts):
            return False
    return True


class SafeLinks(Treeprocessor):
    """Drops every address that is not safe; a link without one becomes a plain <span>."""

    def run(self, root: etree.Element) -> None:  # noqa: D401 - Markdown's API
        for element in root.iter():
            for name in list(element.keys()):
                if name.lower().startswith("on"):  # attr_list can add handlers
                    del element.attrib[name]
            for name in LINKS + LOADS:
                value = element.get(name)
                if value is None:
                    continue
                address = browser_address(value)
                if not address_safe(value, name):
                    del element.attrib[name]
                    if element.tag == "a" and name == "href":
                        element.tag = "span"
                else:
                    # Publish the very address that was judged: '&' as a reference, which the
                    # serializer keeps and the browser decodes exactly once.
                    element.set(name, address.replace("&", "&amp;"))


class SafeLinksExtension(Extension):
    def __init__(self, **kwargs):
        # "code": the module's digest, given by the engine so that its cached pages are made
        # again when these rules change; not used here.
        self.config = {"code": ["", "digest of this module (for the engine's cache key)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Priority 1: after the inline patterns (20) made the links, before MkDocs' relative
        # path rewriting (0).
        md.treeprocessors.register(SafeLinks(md), "safe_links", 1)


def makeExtension(**kwargs) -> SafeLinksExtension:  # noqa: N802 (Markdown's API)
    return SafeLinksExtension(**kwargs)
