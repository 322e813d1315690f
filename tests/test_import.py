"""`briefing new source ID --from FILE|URL`: a saved web page, a PDF, a text file or an
address served from 127.0.0.1 becomes a pinned source record whose body is the document's
main text and whose front-matter is what the document says of itself."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from weasyprint import HTML

from briefing.adapters.cli import main
from briefing.checks.archive import digest
from briefing.pipeline import analyse_dir
from briefing.read.models import Source
from conftest import ROOT, Briefs

ARTICLE = ROOT / "tests" / "fixtures" / "import" / "harbour-gazette-quay.html"
ARTICLE_TEXT = (
    "Port Elling opens new quay after two-year build\n"
    "The Port Elling Authority opened its new deep-water quay on Saturday, two years after "
    "building began and four months later than planned.\n"
    "The quay can berth ships of up to 300 metres, the authority said in a statement. "
    "“This doubles what the harbour can take,” said its chair, Ines Vos.\n"
    "Local fishing crews, who lost moorings during the works, said the compensation offered "
    "was too little. The authority said talks with the crews would continue through the "
    "summer.\n"
    "The project cost 48 million euros, of which the national government paid half and the "
    "regional council a quarter.\n"
)
BOILERPLATE = (
    "NAVIGATION-LINK-TEXT",
    "TRACKER-SCRIPT-TEXT",
    "SECOND-SCRIPT-TEXT",
    "ASIDE-LINK-TEXT",
    "FOOTER-TEXT",
    "Advertisement",
    "Most read",
    "Cookie",
)

UNDATED_KOREAN = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>조약 전문 해설</title></head>
<body><nav><a href="/">홈</a> <a href="/news">뉴스</a></nav>
<article><h1>조약 전문 해설</h1>
<p>양국은 포괄적 전략적 동반자 관계에 관한 조약에 서명했다. 이 조약은 상호 방위 조항을 포함한다고 신문은 보도했다.</p>
<p>조약은 어느 한쪽이 무력 침공을 받을 경우 지체 없이 군사적 원조를 제공하도록 규정한다.</p>
</article><footer>© 2024 동해일보. 무단 전재 금지.</footer></body></html>
"""


def _source(briefs: Briefs, source_id: str) -> Source:
    return analyse_dir(briefs.root).briefing.sources[source_id]


def _record(briefs: Briefs, source_id: str) -> str:
    return (briefs.root / "sources" / f"{source_id}.md").read_text(encoding="utf-8")


def _errors_of(briefs: Briefs, source_id: str) -> list[str]:
    return [
        f.rule
        for f in analyse_dir(briefs.root).findings
        if f.path.endswith(f"{source_id}.md") and f.is_error
    ]


def test_a_saved_article_becomes_its_main_text_and_its_own_metadata(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "source", "gazette-2023", "--from", str(ARTICLE)]) == 0
    assert "wrote briefs/sources/gazette-2023.md" in capsys.readouterr().out
    source = _source(briefs, "gazette-2023")
    assert source.body == ARTICLE_TEXT
    assert not [word for word in BOILERPLATE if word in _record(briefs, "gazette-2023")]
    meta = source.meta
    assert meta.title == "Port Elling opens new quay after two-year build"
    assert meta.author == ["Mara Lind"]
    assert meta.publisher == "Harbour Gazette"
    assert meta.issued == "2023-05-14"  # published, not modified (2023-05-16)
    assert meta.language == "en-GB"
    assert meta.url == "https://gazette.example.org/2023/05/14/quay"
    assert meta.accessed is None  # a saved file does not say when it was read
    assert (meta.reliability, meta.type) == ("F", "unknown")
    assert meta.archived is not None
    assert meta.archived.sha256 == digest(source.body)
    assert meta.archived.retrieved == dt.date.today().isoformat()
    findings = [
        (f.rule, f.is_error)
        for f in analyse_dir(briefs.root).findings
        if f.path.endswith("gazette-2023.md")
    ]
    assert sorted(findings) == [("scaffold-text", False), ("uncited-source", False)]
    assert "reliability: F              # ungraded" in _record(briefs, "gazette-2023")


def test_the_title_given_wins_over_the_pages(briefs: Briefs) -> None:
    assert (
        main(["new", "source", "gazette-2023", "--from", str(ARTICLE), "--title", "Quay opens"])
        == 0
    )
    assert _source(briefs, "gazette-2023").meta.title == "Quay opens"


def _write_pdf(path: Path) -> None:
    filler = "".join(
        f"<p>Week {week}: the harbour master reported routine traffic and no "
        "incidents of note in the outer basin.</p>"
        for week in range(1, 15)
    )
    HTML(
        string=f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
      <title>Annual Report of the Port Elling Authority 2023</title>
      <meta name="author" content="Port Elling Authority">
      <meta name="dcterms.created" content="2024-02-03">
      <style>@page {{ size: A5; margin: 20mm 15mm;
                     @top-center {{ content: "Port Elling Authority · Annual Report" }}
                     @bottom-center {{ content: "Page " counter(page) }} }}
             p {{ font-family: "DejaVu Serif"; text-align: justify; }}</style></head><body>
      <h1>Annual Report 2023</h1>
      <p>The Authority handled 4.2 million tonnes of cargo in 2023, up from 3.9 million the
      year before. The new deep-water quay opened in May and took its first container ship
      in June.</p>
      <p>Fishing crews displaced during the works were offered moorings in the north basin;
      eleven of fourteen accepted.</p>
      {filler}</body></html>"""
    ).write_pdf(path)


def test_a_pdf_becomes_its_text_without_running_heads_and_its_title(
    briefs: Briefs, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    _write_pdf(pdf)
    assert main(["new", "source", "authority-2023", "--from", str(pdf)]) == 0
    source = _source(briefs, "authority-2023")
    lines = source.body.split("\n")
    assert lines[0] == "Annual Report 2023"
    assert lines[1] == (
        "The Authority handled 4.2 million tonnes of cargo in 2023, up from 3.9 "
        "million the year before. The new deep-water quay opened in May and "
        "took its first container ship in June."
    )
    assert lines[2] == (
        "Fishing crews displaced during the works were offered moorings in the "
        "north basin; eleven of fourteen accepted."
    )
    assert [line for line in lines if line.startswith("Week ")] == [
        f"Week {week}: the harbour master reported routine traffic and no incidents of note "
        "in the outer basin."
        for week in range(1, 15)
    ]
    assert "Page " not in source.body and "Annual Report\n" not in source.body
    assert "Port Elling Authority · Annual Report" not in source.body
    meta = source.meta
    assert meta.title == "Annual Report of the Port Elling Authority 2023"
    assert meta.author == ["Port Elling Authority"]
    assert meta.language == "en"
    assert meta.issued == "XXXX"  # the PDF's creation date is not its date of issue
    assert meta.archived is not None and meta.archived.sha256 == digest(source.body)
    assert (
        "the PDF's metadata says it was made 2024-02-03, which need not be its date of issue"
        in _record(briefs, "authority-2023")
    )
    assert _errors_of(briefs, "authority-2023") == []


class _Server:
    """A web server on 127.0.0.1 that serves fixed documents and records every request."""

    def __init__(self, documents: dict[str, tuple[str, bytes]]) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.agents.append(self.headers.get("User-Agent", ""))
                found = documents.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                content_type, body = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.agents: list[str] = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[_Server]:
    served = _Server(
        {
            "/news/quay.html": ("text/html; charset=utf-8", ARTICLE.read_bytes()),
            "/ko/treaty": ("text/html; charset=utf-8", UNDATED_KOREAN.encode("utf-8")),
            "/notes.txt": ("text/plain; charset=utf-8", b"Harbour notes\r\nThe quay opened.\r\n"),
        }
    )
    served.thread.start()
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()
    served.thread.join()


def test_an_address_is_fetched_alone_and_recorded_with_the_day(
    briefs: Briefs, server: _Server
) -> None:
    address = server.url("/news/quay.html")
    assert main(["new", "source", "gazette-2023", "--from", address]) == 0
    # The page's stylesheet, scripts and links are not fetched: one request, the page.
    assert server.requests == ["/news/quay.html"]
    assert server.agents[0].startswith("briefing/")
    source = _source(briefs, "gazette-2023")
    assert source.body == ARTICLE_TEXT
    today = dt.date.today().isoformat()
    assert source.meta.url == address
    assert source.meta.accessed == today
    assert source.meta.archived is not None and source.meta.archived.retrieved == today
    assert source.meta.issued == "2023-05-14"
    assert _errors_of(briefs, "gazette-2023") == []


def test_a_page_that_gives_no_date_is_undated_never_today(briefs: Briefs, server: _Server) -> None:
    assert main(["new", "source", "donghae-treaty", "--from", server.url("/ko/treaty")]) == 0
    source = _source(briefs, "donghae-treaty")
    assert source.meta.issued == "XXXX"  # not 2024 from the footer's ©, not the day of import
    assert "issued: XXXX" in _record(briefs, "donghae-treaty")
    assert "the page gives no date of publication" in _record(briefs, "donghae-treaty")
    assert source.meta.language == "ko"
    assert source.meta.title == "조약 전문 해설"
    assert "양국은 포괄적 전략적 동반자 관계에 관한 조약에 서명했다." in source.body
    assert "무단 전재" not in source.body and "뉴스" not in source.body
    assert _errors_of(briefs, "donghae-treaty") == []


def test_a_text_file_is_taken_as_it_is(briefs: Briefs, server: _Server, tmp_path: Path) -> None:
    assert main(["new", "source", "harbour-notes", "--from", server.url("/notes.txt")]) == 0
    source = _source(briefs, "harbour-notes")
    assert source.body == "Harbour notes\nThe quay opened.\n"
    assert (source.meta.title, source.meta.issued) == ("Harbour notes", "XXXX")
    assert "# from its first line: check it" in _record(briefs, "harbour-notes")
    text = tmp_path / "statement.txt"
    text.write_text("\ufeffStatement of the chair\n\nWe regret the delay.\n", encoding="utf-8")
    assert main(["new", "source", "chair-statement", "--from", str(text)]) == 0
    assert (
        _source(briefs, "chair-statement").body
        == "Statement of the chair\n\nWe regret the delay.\n"
    )


def test_import_refuses_to_overwrite_before_fetching(
    briefs: Briefs, server: _Server, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _record(briefs, "src-a")
    assert main(["new", "source", "src-a", "--from", server.url("/news/quay.html")]) == 2
    assert "already exists: not overwriting it" in capsys.readouterr().err
    assert _record(briefs, "src-a") == before
    assert server.requests == []


def test_an_address_that_fails_writes_nothing(
    briefs: Briefs, server: _Server, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "source", "gone", "--from", server.url("/missing")]) == 2
    assert "the server answered 404" in capsys.readouterr().err
    assert main(["new", "source", "gone", "--from", "ftp://example.org/a.pdf"]) == 2
    assert "only http:// and https:// addresses are fetched" in capsys.readouterr().err
    assert main(["new", "source", "gone"]) == 2
    assert "--title TITLE, or import the record with --from" in capsys.readouterr().err
    assert not (briefs.root / "sources" / "gone.md").exists()
