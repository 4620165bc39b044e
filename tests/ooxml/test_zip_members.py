"""Writing a workbook's package again: the members an update does not change
are copied as they are stored, and a large changed part is deflated in pieces
that join as one stream."""

from __future__ import annotations

import json
import random
import struct
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

from formkit.ooxml.zip_members import PIECE, deflate
from formkit.provision.update import update_map
from tests.xlsx_features import SHEET, build_feature_workbook

NOW = datetime(2026, 12, 18, 10, 15, 0)


def stored(path: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each member's compression method, CRC-32 and bytes as stored in the file."""
    data = path.read_bytes()
    found = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name_length, extra_length = struct.unpack("<2H", data[info.header_offset + 26:info.header_offset + 30])
            start = info.header_offset + 30 + name_length + extra_length
            found[info.filename] = (info.compress_type, info.CRC, data[start:start + info.compress_size])
    return found


def test_members_an_update_does_not_change_keep_their_stored_bytes(tmp_path):
    features = build_feature_workbook(tmp_path / "features.xlsx")
    book = tmp_path / "map.xlsx"
    with zipfile.ZipFile(features) as zin, zipfile.ZipFile(book, "w") as zout:
        for n, info in enumerate(zin.infolist()):  # as another program might store them: other levels, some stored
            method = zipfile.ZIP_STORED if n % 3 == 0 else zipfile.ZIP_DEFLATED
            zout.writestr(info, zin.read(info), compress_type=method, compresslevel=1 + n % 9)
    before = stored(book)
    record = {"kind": "impact", "upn": "R801200023004", "pupil_name": "Alex Pembridge", "intervention": "Toe by Toe",
              "start_date": "2026-09-21", "end_date": "2026-11-27", "exit_score": 93}
    (tmp_path / "impact.json").write_text(json.dumps([record]), encoding="utf-8")

    result = update_map(book, [tmp_path / "impact.json"], now=NOW)

    after = stored(book)
    assert result.written and list(after) == list(before)
    changed = {name for name in before if after[name] != before[name]}
    assert changed == {SHEET, "xl/workbook.xml"}
    assert all(after[name][0] == before[name][0] for name in before)  # each keeps its compression method
    with zipfile.ZipFile(book) as zf:
        assert zf.testzip() is None


def test_a_large_part_deflated_in_pieces_is_one_stream_as_small_as_one():
    rng = random.Random(16)
    words = [bytes(rng.choices(b"abcdefghij<>/=\" ", k=rng.randint(2, 12))) for _ in range(2000)]
    data = b" ".join(rng.choice(words) for _ in range(3 * PIECE // 6))
    assert len(data) > 2 * PIECE
    pieces = deflate(data)
    assert zlib.decompress(pieces, -15) == data
    assert len(pieces) < len(zlib.compress(data, 6)) * 1.01
