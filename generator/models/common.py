"""What every content model shares: strict base model, language maps, ids, URIs, and the
translation of validation failures into messages people can act on."""
from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Annotated, Any, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

from ..errors import FieldError, Problem, Text
from ..yamlfile import LineMap, line_for
from .rights import EXAMPLES, canonical_rights

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


class Model(BaseModel):
    """Unknown fields are errors (a typo such as 'tittle' must not be silently dropped)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _is_xml_char(ch: str) -> bool:
    """Whether XML 1.0 allows the character: no C0/C1 controls (tab and newline aside), no
    surrogates, no noncharacters (U+FDD0–FDEF, U+xFFFE/xFFFF)."""
    cp = ord(ch)
    if ch in "\n\t":
        return True
    if unicodedata.category(ch) in ("Cc", "Cs"):
        return False
    return not (0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE)


def clean_text(value: str) -> str:
    """Text as published: NFC (NFKC would turn ① into 1 in published text; comparison
    elsewhere uses NFKC), line breaks as \\n, and nothing that XML, feeds or a terminal
    cannot carry (controls, noncharacters)."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if value.isascii() and value.isprintable():
        return value
    return "".join(ch for ch in value if _is_xml_char(ch))


def _clean_text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _one_line(value: str) -> str:
    if "\n" in value or "\u2028" in value or "\u2029" in value:
        first = value.replace("\u2028", "\n").replace("\u2029", "\n").split("\n")[0]
        raise FieldError(
            Text(f"「{first[:30]}…」が複数の行に分かれています。この項目は1行で書きます。",
                 f"'{first[:30]}…' runs over several lines; this field is a single line."),
            Text("改行を取り、1行にまとめてください（YAML の「|」や「>」も使わないでください）。",
                 "join it into one line (and do not use YAML's '|' or '>' for it)."),
        )
    return value


CleanStr = Annotated[str, BeforeValidator(_clean_text)]
# Titles, names, rooms, readings: shown in headings, calendar lines and CSV cells.
OneLine = Annotated[str, BeforeValidator(_clean_text), AfterValidator(_one_line)]


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise FieldError(
            Text(f"「{value}」は ID に使えません（使えるのは半角英小文字・数字・「-」だけ、64文字まで）。",
                 f"'{value}' is not a usable id (only a-z, 0-9 and '-', at most 64 characters, "
                 "not starting or ending with '-')."),
            Text("例: hokusai-great-wave のように書いてください。",
                 "write it like hokusai-great-wave."),
        )
    return value


Slug = Annotated[str, AfterValidator(_check_slug)]

# Names the site's own pages take in each folder an id or slug names a page in: an item
# called "page" or a course called "past" would replace a browse or schedule page.
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
RESERVED: dict[str, tuple[set[str], str, str]] = {
    "items": ({"index", "page", "types", "periods"}, "資料一覧のページ", "the archive's browse pages"),
    "creators": ({"index", "page"}, "作者一覧のページ", "the list of creators"),
    "series": ({"index", "page"}, "シリーズ一覧のページ", "the list of series"),
    "lessons": ({"index", "page", "images"}, "レッスン一覧や絵のフォルダ", "the lesson catalogue or its pictures folder"),
    "classes": ({"index", "page", "past", "venues", "all", "sessions"},
                "日程・会場・過去の教室のページやカレンダー", "the schedule, venue and past-class pages or calendars"),
    "classes/venues": ({"index", "page"}, "会場一覧のページ", "the list of venues"),
}


def not_reserved(folder: str):
    """An AfterValidator: the id must not be a name the site's own pages use in folder/."""
    names, what_ja, what_en = RESERVED[folder]

    def check(value: str) -> str:
        if value in names or (folder == "classes" and MONTH_RE.match(value)):
            raise FieldError(
                Text(f"ID「{value}」は使えません。{folder}/{value}/ はサイトが{what_ja}に使う場所です。",
                     f"the id '{value}' cannot be used: {folder}/{value}/ is where the site puts {what_en}."),
                Text(f"別の ID にしてください（例: {value}-1 ではなく、内容を表す名前）。ファイル名も同じ名前にします。",
                     "choose another id that says what it is (and name the file the same)."),
            )
        return value
    return AfterValidator(check)


class LangText(Model):
    """A language map: Japanese first, English second."""

    ja: CleanStr
    en: CleanStr | None = None

    def get(self, lang: str) -> str:
        return (self.en or self.ja) if lang == "en" else self.ja


class LangLine(LangText):
    """A language map of one line each (a title, a name, an address)."""

    ja: OneLine
    en: OneLine | None = None


def _lang_text_from_str(value: Any) -> Any:
    # A plain string is Japanese: the common case for librarians writing quickly.
    return {"ja": value} if isinstance(value, str) else value


LangStr = Annotated[LangText, BeforeValidator(_lang_text_from_str)]
LangLineStr = Annotated[LangLine, BeforeValidator(_lang_text_from_str)]

RIGHTS_EXAMPLES = EXAMPLES


def _check_rights(value: str) -> str:
    canonical = canonical_rights(value)
    if canonical is None:
        raise FieldError(
            Text(f"「{value}」は権利表示として認められません（実在する Creative Commons か RightsStatements.org の"
                 "ライセンスではありません）。",
                 f"'{value}' is not a rights statement IIIF viewers understand (not an existing Creative Commons "
                 "or RightsStatements.org licence)."),
            Text(f"ライセンスのページの URI か、CC0・CC BY 4.0 のような名前を書いてください（例: {RIGHTS_EXAMPLES}）。",
                 f"write the licence's URI or a name such as CC0 or CC BY 4.0 (for example {RIGHTS_EXAMPLES})."),
        )
    return canonical


RightsURI = Annotated[str, AfterValidator(_check_rights)]


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise FieldError(
            Text(f"「{value}」は http:// か https:// で始まる URL ではありません。",
                 f"'{value}' is not a URL starting with http:// or https://."),
            Text("ブラウザのアドレス欄からそのまま写してください。", "copy it from the browser's address bar."),
        )
    return value


URL = Annotated[str, AfterValidator(_check_url)]

# pydantic error type -> (what ja, what en, fix ja, fix en); {x} are filled from the error.
_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "missing": ("必須の項目がありません。", "this required field is missing.",
                "この項目を書き足してください。", "add this field."),
    "string_type": ("文字列であるべきところに {got} が書かれています。", "expected text, found {got}.",
                    "値を引用符で囲んでください（例: \"1857\"）。", "put the value in quotes (e.g. \"1857\")."),
    "int_type": ("整数であるべきところに {got} が書かれています。", "expected a whole number, found {got}.",
                 "半角数字だけで書いてください（例: 12）。", "write digits only (e.g. 12)."),
    "int_parsing": ("整数ではありません（{got}）。", "not a whole number ({got}).",
                    "半角数字だけで書いてください（例: 12）。", "write digits only (e.g. 12)."),
    "int_from_float": ("整数ではありません（{got}）。", "not a whole number ({got}).",
                       "小数点のない数で書いてください。", "write it without a decimal point."),
    "float_type": ("数であるべきところに {got} が書かれています。", "expected a number, found {got}.",
                   "半角数字で書いてください（例: 35.6895）。", "write a number (e.g. 35.6895)."),
    "float_parsing": ("数ではありません（{got}）。", "not a number ({got}).",
                      "半角数字で書いてください（例: 35.6895）。", "write a number (e.g. 35.6895)."),
    "bool_type": ("はい/いいえ（true/false）であるべきところに {got} が書かれています。",
                  "expected true or false, found {got}.", "true か false と書いてください。", "write true or false."),
    "bool_parsing": ("はい/いいえ（true/false）ではありません（{got}）。", "not true or false ({got}).",
                     "true か false と書いてください。", "write true or false."),
    "list_type": ("一覧（箇条書き）であるべきところに {got} が書かれています。", "expected a list, found {got}.",
                  "各行を「- 」で始めて並べてください。", "write each entry on its own line starting with '- '."),
    "dict_type": ("項目のまとまりであるべきところに {got} が書かれています。",
                  "expected a group of fields (key: value), found {got}.",
                  "下の行に字下げして「名前: 値」の形で書いてください。",
                  "write indented 'name: value' lines below it."),
    "model_type": ("項目のまとまりであるべきところに {got} が書かれています。",
                   "expected a group of fields (key: value), found {got}.",
                   "下の行に字下げして「名前: 値」の形で書いてください。",
                   "write indented 'name: value' lines below it."),
    "literal_error": ("「{got}」は使えません。", "'{got}' is not one of the allowed values.",
                      "次のどれかを書いてください: {expected}", "use one of: {expected}"),
    "enum": ("「{got}」は使えません。", "'{got}' is not one of the allowed values.",
             "次のどれかを書いてください: {expected}", "use one of: {expected}"),
    "too_short": ("少なくとも {min_length} 件必要です。", "needs at least {min_length} entries.",
                  "項目を書き足してください。", "add the missing entries."),
    "string_too_short": ("空欄です。", "is empty.", "値を書いてください。", "write a value."),
    "string_too_long": ("長すぎます（{max_length} 文字まで）。", "is too long (at most {max_length} characters).",
                        "短くしてください。", "shorten it."),
    "greater_than_equal": ("{ge} 以上でなければなりません（{got}）。", "must be at least {ge} (found {got}).",
                           "値を直してください。", "correct the value."),
    "less_than_equal": ("{le} 以下でなければなりません（{got}）。", "must be at most {le} (found {got}).",
                        "値を直してください。", "correct the value."),
    "greater_than": ("{gt} より大きくなければなりません（{got}）。", "must be greater than {gt} (found {got}).",
                     "値を直してください。", "correct the value."),
    "date_from_datetime_parsing": ("日付ではありません（{got}）。", "not a date ({got}).",
                                   "2026-04-07 の形で書いてください。", "write it as 2026-04-07."),
    "date_parsing": ("日付ではありません（{got}）。", "not a date ({got}).",
                     "2026-04-07 の形で書いてください。", "write it as 2026-04-07."),
    "date_type": ("日付ではありません（{got}）。", "not a date ({got}).",
                  "2026-04-07 の形で書いてください。", "write it as 2026-04-07."),
    "time_parsing": ("時刻ではありません（{got}）。", "not a time ({got}).",
                     "13:30 の形で、引用符で囲んで書いてください（例: \"13:30\"）。",
                     "write it as \"13:30\", in quotes."),
    "time_type": ("時刻ではありません（{got}）。", "not a time ({got}).",
                  "13:30 の形で、引用符で囲んで書いてください（例: \"13:30\"）。", "write it as \"13:30\", in quotes."),
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) < 60 else text[:57] + "…'"


def _field_name(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def problems_from_validation(exc: ValidationError, rel: str, lines: LineMap,
                             model: type[BaseModel] | None = None, prefix: tuple = ()) -> list[Problem]:
    """Translate pydantic's errors into Problems naming field and line."""
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # Union members produce one error each; report a field once, with the first reason.
        if loc in seen:
            continue
        seen.add(loc)
        etype = err["type"]
        ctx = dict(err.get("ctx") or {})
        error = ctx.get("error")
        line = line_for(lines, loc)
        if isinstance(error, FieldError):
            problems.append(Problem(rel, error.what, error.fix, _field_name(loc), line))
            continue
        got = err.get("input")
        params = {k: v for k, v in ctx.items() if k != "error"}
        params["got"] = _describe(got) if etype not in ("literal_error", "enum") else got
        params.setdefault("expected", "")
        if etype == "extra_forbidden":
            sja, sen = _suggest(loc, model, prefix)
            problems.append(Problem(rel, Text("知らない項目です。", "unknown field."), Text(
                sja or "この行を消すか、綴りを確かめてください。", sen or "delete it or check its spelling."),
                _field_name(loc), line))
            continue
        template = _MESSAGES.get(etype)
        if template:
            ja, en, fja, fen = (t.format(**params) for t in template)
        else:
            msg = err["msg"]
            ja, en, fja, fen = f"値が正しくありません（{msg}）。", f"invalid value ({msg}).", "値を直してください。", "correct the value."
        problems.append(Problem(rel, Text(ja, en), Text(fja, fen), _field_name(loc), line))
    return problems


def _suggest(loc: tuple, model: type[BaseModel] | None, prefix: tuple) -> tuple[str, str]:
    if model is None:
        return "", ""
    target: Any = model
    for part in loc[len(prefix):-1]:
        if isinstance(part, int):
            continue
        field = getattr(target, "model_fields", {}).get(part)
        if field is None:
            return "", ""
        target = inner_model(field.annotation)
        if target is None:
            return "", ""
    names = list(getattr(target, "model_fields", {}))
    close = difflib.get_close_matches(str(loc[-1]), names, n=1)
    if close:
        return f"「{close[0]}」の書き間違いではありませんか。", f"did you mean '{close[0]}'?"
    if names:
        return "使える項目: " + ", ".join(names), "allowed fields: " + ", ".join(names)
    return "", ""


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field's annotation holds (list[CreatorRef] -> CreatorRef), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None
