"""Helpers for the live-source tests: payloads shaped like the real services', and a dlt run into DuckDB."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dlt
import duckdb
from werkzeug import Request, Response

from airace_pipeline.sources.config import HttpLimits
from airace_pipeline.sources.window import FetchWindow

# Fast limits for loopback servers: short timeouts, tiny backoff, a couple of retries.
LIMITS = HttpLimits(timeout_s=2.0, retries=2, backoff_s=0.05, max_bytes=1_000_000, max_pages=100)
SCHEDULED = FetchWindow(dt.date(2024, 1, 1), dt.date(2024, 1, 2), backfill=False)


def run(factory: Callable[..., Any], db: Path, specs: list, window: FetchWindow = SCHEDULED, name: str = "t"):
    """Load `specs` through the source's dlt pipeline into `db` (state kept between calls, like prod)."""
    pipeline = dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw",
        pipelines_dir=str(db.parent / "dlt"),
    )
    return pipeline.run(
        factory(specs=specs, window=window, valid_from=dt.date(2017, 1, 1), valid_until=dt.date(2030, 1, 1))
    )


def resource_state(db: Path, resource: str) -> dict[str, Any]:
    """The dlt resource state `run` saved for `resource` (its source has the same name)."""
    pipeline = dlt.attach(pipeline_name="t", pipelines_dir=str(db.parent / "dlt"))
    return pipeline.state["sources"][resource]["resources"][resource]


def trickle(content_type: str = "text/plain") -> Callable[[Request], Response]:
    """A werkzeug handler sending one byte every 0.2 s: never a read timeout, never done in time."""

    def handler(_request: Request) -> Response:
        def body() -> Iterator[bytes]:
            for _ in range(50):
                yield b"x"
                time.sleep(0.2)

        return Response(body(), content_type=content_type)

    return handler


def rows(db: Path, table: str) -> list[dict[str, Any]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        if not conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = ?",
            [table],
        ).fetchone()[0]:
            return []
        frame = conn.execute(f'SELECT * FROM raw."{table}" ORDER BY origin').df()
    finally:
        conn.close()
    records = frame.to_dict("records")
    for record in records:
        if record.get("published_on") is not None and not isinstance(record["published_on"], float):
            record["published_on"] = record["published_on"].date()
    return records


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>AI Policy Wire</title><link>https://news.example/</link><description>d</description>
<item><title>Mistral AI raises EUR 600 million</title><link>https://news.example/mistral</link>
<guid>news-1</guid><pubDate>Tue, 11 Jun 2024 09:00:00 GMT</pubDate>
<description><![CDATA[<p>Mistral AI raised <b>€600 million</b>.</p><script>alert('x')</script>]]></description></item>
<item><title>No date here</title><link>https://news.example/nodate</link><guid>news-2</guid>
<description>undated</description></item>
<item><title>No link here</title><guid isPermaLink="false">news-3</guid>
<pubDate>Wed, 12 Jun 2024 09:00:00 GMT</pubDate><description>orphan</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab Blog</title><id>urn:lab</id>
<updated>2024-06-12T10:00:00Z</updated>
<entry><title>Lab opens Paris office</title><id>urn:lab:1</id>
<link href="https://lab.example/paris"/><updated>2024-06-12T10:00:00Z</updated>
<content type="html">&lt;p&gt;The lab opened an office in Paris.&lt;/p&gt;</content></entry>
</feed>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>x</title><link>https://e.example/x</link>
<pubDate>Tue, 11 Jun 2024 09:00:00 GMT</pubDate></item></channel></rss>
"""

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
)


def fr_result(number: str, day: str, **extra: Any) -> dict[str, Any]:
    """One Federal Register document as the API returns it (the fields we request)."""
    return {
        "document_number": number,
        "type": "Notice",
        "subtype": None,
        "title": f"Notice {number} on artificial intelligence",
        "abstract": "The agency requests comment on artificial intelligence.",
        "publication_date": day,
        "signing_date": None,
        "effective_on": None,
        "agencies": [{"name": "Commerce Department", "slug": "commerce-department", "id": 54}],
        "citation": "89 FR 1",
        "executive_order_number": None,
        "presidential_document_type": None,
        "html_url": f"https://www.federalregister.gov/documents/{day.replace('-', '/')}/{number}/x",
        "raw_text_url": None,
        "body_html_url": None,
        **extra,
    }


def fr_envelope(results: list[dict], total_pages: int = 1, next_page_url: str | None = None) -> dict:
    return {
        "count": len(results) * total_pages,
        "description": "Documents matching 'artificial intelligence'",
        "total_pages": total_pages,
        "next_page_url": next_page_url,
        "results": results,
    }


INCIDENTS_CSV = (
    "_id,incident_id,date,reports,Alleged deployer of AI system,Alleged developer of AI system,"
    "Alleged harmed or nearly harmed parties,description,title\n"
    '6a1,1,2015-05-19,"[1,2]","[""youtube""]","[""youtube""]","[""children""]",'
    '"YouTube\'s content filtering failed to block disturbing videos.",Google’s YouTube Kids App Presents Inappropriate Content\n'
    '6a2,2,2018-12-05,[3],"[""amazon""]","[""openai"",""amazon""]","[""warehouse-workers""]",'
    '"A robot punctured a can of bear repellent.",Warehouse robot ruptures can of bear spray\n'
    '6a3,3,not-a-date,[],[],[],[],"No date.",Undated incident\n'
)

REPORTS_CSV = (
    "_id,authors,date_downloaded,date_modified,date_published,date_submitted,description,"
    "epoch_date_downloaded,epoch_date_modified,epoch_date_published,epoch_date_submitted,image_url,"
    "language,ref_number,report_number,source_domain,submitters,text,title,url,tags\n"
    "r1,[],2019-04-13,2020-01-01,2015-05-19,2019-04-13,d,1,1,1,1,i,en,0,1,example.com,[],"
    '"<p>YouTube Kids showed disturbing videos.</p><script>steal()</script>",Kids app report,'
    "https://example.com/r1,[]\n"
    "r2,[],2019-04-13,2020-01-01,2018-12-06,2019-04-13,d,1,1,1,1,i,en,0,3,news.example,[],"
    '"Twenty-four Amazon workers were sent to hospital.",Robot report,https://news.example/r3,[]\n'
)

AI_ACT = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head><title>Regulation (EU) 2024/1689 (Artificial Intelligence Act)</title>
<script>document.location='https://evil.example'</script></head>
<body><p class="oj-doc-ti">REGULATION (EU) 2024/1689 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL</p>
<p class="oj-doc-ti">of 13 June 2024</p>
<p>laying down harmonised rules on artificial intelligence (Artificial Intelligence Act)</p>
<p>ELI: <a href="http://data.europa.eu/eli/reg/2024/1689/oj">http://data.europa.eu/eli/reg/2024/1689/oj</a></p>
</body></html>
"""


class TrickleServer:
    """A real HTTP server on 127.0.0.1 that sends a response one byte every `interval` seconds.

    `head=True` trickles the status line and headers too (the request then never gets past them);
    otherwise the headers arrive at once and the body trickles. `length=False` sends no Content-Length:
    the body ends when the server closes the connection. Use as a context manager.
    """

    def __init__(
        self, body: bytes = b"x" * 200, interval: float = 0.2, head: bool = False, length: bool = True
    ) -> None:
        self.body, self.interval, self.head, self.length = body, interval, head, length
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> TrickleServer:
        self._listener.settimeout(0.05)
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        framing = f"Content-Length: {len(self.body)}" if self.length else "Connection: close"
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n{framing}\r\n\r\n".encode()
        with conn:
            conn.settimeout(2)
            try:
                conn.recv(65536)  # the request (small: one GET)
                if not self.head:
                    conn.sendall(head)
                for byte in (head if self.head else b"") + self.body:
                    if self._stop.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up and closed the connection
