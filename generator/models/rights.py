"""Rights as people paste them: Creative Commons and RightsStatements.org licences, from their
URIs in any common form (http or https, with or without the final slash, a deed or legal-code
page, a language suffix) or their short names (CC0, CC BY 4.0, PDM, InC), to the one canonical
URI that IIIF viewers and aggregators recognise. Only licences that exist are accepted."""
from __future__ import annotations

import re
import unicodedata

# Creative Commons licence elements by version (1.0 wrote NoDerivs-NonCommercial as by-nd-nc).
_CC_ELEMENTS = {
    "1.0": {"by", "by-sa", "by-nd", "by-nc", "by-nd-nc", "by-nc-sa"},
    "2.0": {"by", "by-sa", "by-nd", "by-nc", "by-nc-nd", "by-nc-sa"},
    "2.1": {"by", "by-sa", "by-nd", "by-nc", "by-nc-nd", "by-nc-sa"},  # ported only (jp, es, au)
    "2.5": {"by", "by-sa", "by-nd", "by-nc", "by-nc-nd", "by-nc-sa"},
    "3.0": {"by", "by-sa", "by-nd", "by-nc", "by-nc-nd", "by-nc-sa"},
    "4.0": {"by", "by-sa", "by-nd", "by-nc", "by-nc-nd", "by-nc-sa"},
}
# Jurisdiction ports a Japanese archive meets: Creative Commons Japan's 2.0 and 2.1.
_CC_PORTS = {("2.0", "jp"), ("2.1", "jp")}
_RS_STATEMENTS = {"InC", "InC-OW-EU", "InC-EDU", "InC-NC", "InC-RUU", "NoC-CR", "NoC-NC", "NoC-OKLR",
                  "NoC-US", "CNE", "UND", "NKC"}
_RS_BY_LOWER = {s.lower(): s for s in _RS_STATEMENTS}

EXAMPLES = ("https://creativecommons.org/publicdomain/mark/1.0/, "
            "https://creativecommons.org/publicdomain/zero/1.0/, "
            "https://creativecommons.org/licenses/by/4.0/ (or CC0, CC BY 4.0), "
            "http://rightsstatements.org/vocab/InC/1.0/")

_CC_URI = re.compile(r"^(?:https?://)?(?:www\.)?creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)"
                     r"(?:/([a-z]{2}))?(?:/(?:deed|legalcode)(?:\.[a-z]{2,3}(?:[-_][a-z]{2,4})?)?)?/?$")
_RS_URI = re.compile(r"^(?:https?://)?(?:www\.)?rightsstatements\.org/(?:vocab|page|data)/([a-z-]+)/(\d\.\d)"
                     r"(?:/|\.json|\.jsonld|\.ttl)?$")
_CC_NAME = re.compile(r"^cc[ -]?(by(?:[ -](?:sa|nd|nc))*)[ -]?(\d\.\d)(?:[ -]?(jp|japan))?$")


def canonical_rights(text: str) -> str | None:
    """The canonical URI of a licence or rights statement written as text; None when it is
    not one that exists."""
    value = unicodedata.normalize("NFKC", text).strip()
    value = re.sub(r"[?#].*$", "", value)  # ?lang=ja, #languages
    low = value.lower()
    m = _CC_URI.match(low)
    if m:
        kind, element, version, port = m.groups()
        return _cc(kind, element, version, port)
    m = _RS_URI.match(low)
    if m:
        statement = _RS_BY_LOWER.get(m.group(1))
        return f"http://rightsstatements.org/vocab/{statement}/1.0/" if statement and m.group(2) == "1.0" else None
    return _short_name(low)


def _cc(kind: str, element: str, version: str, port: str | None) -> str | None:
    if kind == "publicdomain":
        if element in ("zero", "mark") and version == "1.0" and port is None:
            return f"https://creativecommons.org/publicdomain/{element}/1.0/"
        return None
    if element not in _CC_ELEMENTS.get(version, ()):
        return None
    if port is None:
        return None if version == "2.1" else f"https://creativecommons.org/licenses/{element}/{version}/"
    if (version, port) in _CC_PORTS:
        return f"https://creativecommons.org/licenses/{element}/{version}/{port}/"
    return None


def _short_name(low: str) -> str | None:
    name = re.sub(r"\s+", " ", low.replace("_", " ")).strip()
    if name in ("cc0", "cc0 1.0", "cc-0", "cc zero", "cc0-1.0", "public domain dedication"):
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    if name in ("pdm", "pdm 1.0", "public domain mark", "public domain mark 1.0", "publicdomain", "public domain",
                "パブリックドメイン", "パブリック・ドメイン"):
        return "https://creativecommons.org/publicdomain/mark/1.0/"
    if name in _RS_BY_LOWER:
        return f"http://rightsstatements.org/vocab/{_RS_BY_LOWER[name]}/1.0/"
    m = _CC_NAME.match(name)
    if m:
        element = m.group(1).replace(" ", "-")
        port = "jp" if m.group(3) else None
        return _cc("licenses", element, m.group(2), port)
    return None
