"""LibreOffice converts without touching the network: a document that links an
image from a web address (which could carry a pupil's UPN) is converted with the
link left unfetched. A real soffice and a real local web server."""

from __future__ import annotations

import http.server
import io
import threading
import zipfile
from pathlib import Path

import docx

from formkit.documents import pdf
from tests.hostile.build_cases import linked_image


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def _record(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = _record

    def log_message(self, *args: object) -> None:
        pass


def _linked_document(path: Path, url: str) -> None:
    document = docx.Document()
    document.add_paragraph("Dear Parent/Carer,")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        members = linked_image({name: zf.read(name) for name in zf.namelist()}, url)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_a_linked_image_is_never_fetched_during_conversion(tmp_path: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        source = tmp_path / "letter.docx"
        _linked_document(source, f"http://127.0.0.1:{server.server_port}/B801200005001.png")
        result = pdf.convert([(source, tmp_path / "letter.pdf")], workers=1)
    finally:
        server.shutdown()
        server.server_close()
    assert result.converted == {source: tmp_path / "letter.pdf"}
    assert (tmp_path / "letter.pdf").read_bytes().startswith(b"%PDF")
    assert _Recorder.seen == []
