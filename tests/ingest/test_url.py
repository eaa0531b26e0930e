"""`veille ingest https://…`: pages and feeds fetched from a local server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from veille.ingest import ReadOptions, ReadReport, iter_records
from veille.model import RawDoc

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Conseil de guerre à Paris</title>
<meta property="article:published_time" content="2016-01-21T08:00:00+01:00"></head><body>
<nav>Accueil | Monde | Défense</nav><article><h1>Conseil de guerre à Paris</h1>
<p>La coalition militaire internationale luttant contre Daech en Syrie et en Irak veut profiter du recul
des jihadistes pour supprimer leurs centres de pouvoir à Raqqa et Mossoul, ont annoncé mercredi Paris et
Washington.</p>
<p>La Russie était la grande absente du conseil de guerre qui a réuni dans la capitale française sept pays
de la coalition, a indiqué le ministère de la Défense dans un communiqué publié mercredi soir.</p>
</article><footer>Mentions légales</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Journal</title>
<item><guid>a1</guid><title>Premier</title><link>http://127.0.0.1/a1</link>
<description>Un résumé seulement du premier article du journal.</description></item>
<item><guid>a2</guid><title>Second</title><link>http://127.0.0.1/a2</link>
<description>Un autre résumé, celui du second article.</description></item></channel></rss>"""

ROUTES = {
    "/page": ("text/html; charset=utf-8", PAGE),
    "/feed": ("application/rss+xml", FEED),
    "/image": ("image/png", "\x89PNG"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        route = ROUTES.get(self.path)
        if route is None:
            self.send_error(404)
            return
        body = route[1].encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", route[0])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def read(url: str, *, allow_private: bool = True) -> tuple[list[RawDoc], ReadReport]:
    report = ReadReport()
    docs = list(iter_records([url], ReadOptions(allow_private=allow_private, fetch_timeout=5), report))
    return docs, report


def test_url_page_is_fetched_and_extracted(server: str) -> None:
    docs, _ = read(server + "/page")
    assert len(docs) == 1
    doc = docs[0]
    assert doc.reason is None and doc.source_file == server + "/page"
    assert doc.title == "Conseil de guerre à Paris"
    assert doc.text is not None and "La coalition militaire internationale" in doc.text
    assert "Mentions légales" not in doc.text
    assert doc.published is not None and doc.published.startswith("2016-01-21")


def test_url_feed_gives_one_partial_article_per_entry(server: str) -> None:
    docs, _ = read(server + "/feed")
    assert [(d.source_id, d.title, d.partial, d.source_name) for d in docs] == [
        ("a1", "Premier", True, "Le Journal"),
        ("a2", "Second", True, "Le Journal"),
    ]


def test_url_loopback_is_refused_without_allow_private(server: str) -> None:
    docs, report = read(server + "/page", allow_private=False)
    assert [d.reason for d in docs] == ["fetch_refused"]
    assert docs[0].reason_detail is not None and "--allow-private" in docs[0].reason_detail
    assert report.rejected == {"fetch_refused": 1}


def test_url_errors_and_other_content_are_rejected_with_reasons(server: str) -> None:
    missing, _ = read(server + "/missing")
    image, _ = read(server + "/image")
    assert [d.reason for d in missing] == ["fetch_failed"]
    assert [d.reason for d in image] == ["unsupported_content"]


def test_url_mixed_with_files_keeps_command_line_order(server: str, tmp_path: object) -> None:
    from pathlib import Path

    page = Path(str(tmp_path)) / "a.txt"
    page.write_text("Un texte de page assez long pour être un article.", encoding="utf-8")
    docs, _ = read(server + "/page")
    report = ReadReport()
    mixed = list(iter_records([str(page), server + "/page"], ReadOptions(allow_private=True), report))
    assert [d.source_file for d in mixed] == ["a.txt", docs[0].source_file]
