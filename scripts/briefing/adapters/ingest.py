"""`briefing new source ID --from FILE|URL`: a document's main text and what it says of itself.

A saved web page goes through trafilatura (main text: navigation, scripts, asides and
footers dropped) and htmldate (the date of publication, from the page's markup only); a
PDF through pdfminer.six (text by layout boxes, running heads and page numbers dropped,
the document's own title, author and language); a text file is taken as it is. An address
is fetched once, with urllib, and nothing else is: the libraries are given the document's
bytes, never an address to follow. The libraries are imported here, on use, so that
`briefing check` never loads them.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

USER_AGENT = "briefing/0.1 (source import; +https://pypi.org/project/trafilatura/)"
TIMEOUT = 30.0
"""Seconds to wait for the server, per connection and per read."""
MAX_BYTES = 50 * 1024 * 1024
"""The largest document fetched or read."""

HTML, PDF, TEXT = "html", "pdf", "text"
_SUFFIXES = {".html": HTML, ".htm": HTML, ".xhtml": HTML, ".pdf": PDF, ".txt": TEXT, ".text": TEXT}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_UNSPACED = re.compile(
    "[\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)
"""Scripts written without spaces between words (as quotes.py): a line broken inside
Chinese or Japanese text is joined back without a space."""


class ImportProblem(Exception):
    """A document that cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class Imported:
    """A document's main text and what it states about itself ("" where it states nothing)."""

    kind: str
    """`html`, `pdf` or `text`."""
    text: str
    """The main text, one paragraph a line, ending with a newline: the record's body."""
    title: str = ""
    title_from: str = ""
    """Where the title came from when it is a guess (the first line), for the record's comment."""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    issued: str = ""
    """YYYY-MM-DD when the document's markup states its date of publication."""
    date_hint: str = ""
    """What the document says of a date that is not its date of publication (a PDF's
    creation date), for the record's comment."""
    language: str = ""
    url: str = ""
    accessed: str = ""
    """YYYY-MM-DD: the day an address was fetched (a saved file does not say)."""


def is_address(value: str) -> bool:
    return re.match(r"https?://", value, re.IGNORECASE) is not None


def read_source(location: str, today: dt.date | None = None) -> Imported:
    """Read `location`, a file (`.html`, `.pdf`, `.txt`) or an http(s) address."""
    if is_address(location):
        return fetch(location, today)
    if re.match(r"[a-z][a-z0-9+.-]*://", location, re.IGNORECASE):
        raise ImportProblem(
            f"{location}: only http:// and https:// addresses are fetched; "
            "save the document and import the file"
        )
    path = Path(location)
    if not path.is_file():
        raise ImportProblem(f"{location}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise ImportProblem(f"{location}: larger than {MAX_BYTES // 2**20} MiB")
    data = path.read_bytes()
    return read_document(data, _SUFFIXES.get(path.suffix.lower()) or sniff(data), shown=location)


def fetch(url: str, today: dt.date | None = None, timeout: float = TIMEOUT) -> Imported:
    """Fetch one address (redirects followed) and read the document it serves; `url` and
    `accessed` are the address the document came from and the day."""
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            final = response.geturl()
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise ImportProblem(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ImportProblem(f"{url}: could not be fetched ({reason})") from None
    if len(data) > MAX_BYTES:
        raise ImportProblem(f"{url}: larger than {MAX_BYTES // 2**20} MiB")
    kind = {
        "application/pdf": PDF,
        "text/plain": TEXT,
        "text/html": HTML,
        "application/xhtml+xml": HTML,
    }.get(content_type) or sniff(data)
    imported = read_document(data, kind, shown=url, charset=charset, url=final)
    accessed = (today or dt.date.today()).isoformat()
    return replace(imported, url=final, accessed=accessed)


def sniff(data: bytes) -> str:
    """What a document is from its first bytes: a PDF, HTML, else plain text."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return PDF
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<!--")):
        return HTML
    return TEXT


def read_document(
    data: bytes, kind: str, shown: str, charset: str | None = None, url: str = ""
) -> Imported:
    if kind == PDF:
        imported = read_pdf(data, shown)
    elif kind == HTML:
        imported = read_html(data, shown, charset, url)
    else:
        imported = read_text(data, shown, charset)
    if not imported.text.strip():
        raise ImportProblem(
            f"{shown}: no text could be read from it (a scanned PDF, or a page "
            "built by scripts?); write the record with --title and paste the "
            "text by hand"
        )
    return imported


def clean_text(text: str) -> str:
    """The text as a record's body: LF line endings, no BOM or control characters, no
    trailing spaces, no blank lines at either end, one newline at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def _one_line(value: object) -> str:
    return " ".join(str(value).split()) if value else ""


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    return line if len(line) <= 200 else line[:199].rstrip() + "…"


def _language(value: object) -> str:
    """A BCP 47 tag as the document gives it (`en-GB`, `ko`); `ko_KR` becomes `ko-KR`."""
    tag = _one_line(value).replace("_", "-")
    return tag if _LANGUAGE_TAG.match(tag) else ""


# --- text files ----------------------------------------------------------------------------


def read_text(data: bytes, shown: str, charset: str | None = None) -> Imported:
    try:
        text = data.decode(charset or "utf-8-sig")
    except (UnicodeDecodeError, LookupError):
        raise ImportProblem(
            f"{shown}: not UTF-8 text; save it as UTF-8 and import it again"
        ) from None
    body = clean_text(text)
    return Imported(TEXT, body, title=_first_line(body), title_from="its first line")


# --- web pages -----------------------------------------------------------------------------


def read_html(data: bytes, shown: str, charset: str | None = None, url: str = "") -> Imported:
    """The page's main text (trafilatura) and its own metadata: title, author, site name and
    address from its meta tags or JSON-LD, the date of publication from its markup
    (htmldate, markup only), its language from `<html lang>`."""
    import htmldate
    import trafilatura

    document: bytes | str = data
    if charset:
        try:
            document = data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            document = data
    tree = trafilatura.load_html(document)
    if tree is None:
        raise ImportProblem(f"{shown}: not a web page that can be read")
    language = _page_language(tree)
    issued = (
        htmldate.find_date(
            tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d", url=None
        )
        or ""
    )
    metadata = trafilatura.extract_metadata(tree, default_url=url or None, extensive=False)
    result = trafilatura.bare_extraction(
        tree,
        url=url or None,
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
        deduplicate=False,
    )
    text = clean_text(getattr(result, "text", None) or "") if result is not None else "\n"
    publisher = _one_line(metadata.sitename)
    page_url = _one_line(metadata.url)
    if publisher and page_url and publisher == _host(page_url):
        publisher = ""  # trafilatura's fallback, the address's host: not a name the page states
    authors = tuple(a for a in (_one_line(x) for x in (metadata.author or "").split(";")) if a)
    title = _one_line(metadata.title)
    return Imported(
        HTML,
        text,
        title=title or _first_line(text),
        title_from="" if title else "its first line",
        authors=authors,
        publisher=publisher,
        issued=issued,
        language=language,
        url=page_url,
    )


def _host(url: str) -> str:
    match = re.match(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)", url)
    return match.group(1) if match else ""


def _page_language(tree: Any) -> str:
    for value in (tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")):
        if _language(value):
            return _language(value)
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            return _language((meta.get("content") or "").split(",")[0])
        if (meta.get("property") or "").lower() == "og:locale":
            return _language(meta.get("content"))
    return ""


# --- PDF -----------------------------------------------------------------------------------


def read_pdf(data: bytes, shown: str) -> Imported:
    """The PDF's text by layout boxes, one paragraph a line (pdfminer.six), without the
    boxes that repeat on most pages (running heads, page numbers); its title, author and
    language from the document information and catalogue."""
    import io

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        pages: list[list[tuple[str, bool]]] = []
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            layout = device.get_result()
            margin = (layout.y1 - layout.y0) * _MARGIN
            boxes = [
                (
                    _joined(line.get_text() for line in box),
                    box.y0 >= layout.y1 - margin or box.y1 <= layout.y0 + margin,
                )
                for box in layout
                if isinstance(box, LTTextContainer)
            ]
            pages.append([(text, edge) for text, edge in boxes if text])
    except PDFPasswordIncorrect:
        raise ImportProblem(f"{shown}: the PDF is encrypted") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ImportProblem(f"{shown}: not a PDF that can be read ({exc})") from None
    info = _pdf_info(document)
    text = clean_text("\n".join(_without_running_heads(pages)))
    title = _one_line(info.get("Title"))
    created = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", info.get("CreationDate", ""))
    hint = ""
    if created:
        day = "-".join(part for part in created.groups() if part)
        hint = f"the PDF's metadata says it was made {day}, which need not be its date of issue"
    authors = tuple(a for a in (_one_line(x) for x in info.get("Author", "").split(";")) if a)
    return Imported(
        PDF,
        text,
        title=title or _first_line(text),
        title_from="" if title else "its first line",
        authors=authors,
        date_hint=hint,
        language=_language(info.get("Lang")),
    )


def _pdf_info(document: Any) -> dict[str, str]:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    def text(value: object) -> str:
        value = resolve1(value)
        if isinstance(value, bytes):
            return decode_text(value)
        return value if isinstance(value, str) else ""

    info: dict[str, str] = {}
    for entry in document.info or []:
        for key in ("Title", "Author", "CreationDate"):
            if key in entry and not info.get(key):
                info[key] = text(entry[key])
    info["Lang"] = text(document.catalog.get("Lang"))
    return info


def _joined(lines: Any) -> str:
    """A layout box's lines as one paragraph: a line broken after a hyphen or inside
    Chinese or Japanese text is joined without a space; runs of spaces (justified
    text) become one."""
    out = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
        elif (out.endswith("-") and len(out) > 1 and out[-2].isalpha()) or (
            _UNSPACED.match(out[-1]) and _UNSPACED.match(line[0])
        ):
            out += line
        else:
            out += " " + line
    return out


_DIGITS = re.compile(r"\d+")
_MARGIN = 0.12
"""The bands at the top and bottom of a page, as a share of its height, where running heads
and page numbers stand."""


def _without_running_heads(pages: list[list[tuple[str, bool]]]) -> list[str]:
    """Every page's boxes, less those in the top or bottom band of the page that recur there
    (digits aside) on at least half the pages of a document of two pages or more: running
    heads, footers, page numbers."""

    def key(text: str) -> str:
        return _DIGITS.sub("#", text)

    seen = Counter(k for page in pages for k in {key(text) for text, edge in page if edge})
    least = max(2, (len(pages) + 1) // 2)
    recurring = {k for k, count in seen.items() if count >= least}
    return [text for page in pages for text, edge in page if not (edge and key(text) in recurring)]
