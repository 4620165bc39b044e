"""A workbook package written again: unchanged members copied as they are stored.

Rezipping a workbook inflates and deflates every member, though an update
changes two or three of them. :func:`build_package` copies each unchanged
member's stored (compressed) bytes from the original file as they are, with
its name, date, compression method and CRC-32, and compresses only the changed
and added parts; a large part is deflated in pieces on as many threads as
there are cores (each piece primed with the 32 KiB before it, so the file is
as small as one stream would make it). The result is an ordinary zip file
(no data descriptors, no ZIP64: a package the guard accepts is far below its
limits).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import WorkbookError
from .xlsx_package import XlsxPackage

LEVEL = 6
"""zlib's default compression level, which Python's zipfile and Excel use."""
PIECE = 1 << 20
"""Bytes of a part deflated as one piece when a large part is deflated in pieces."""
WINDOW = 1 << 15
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF


def build_package(package: XlsxPackage, changed: Mapping[str, bytes], added: Mapping[str, bytes] | None = None,
                  source: bytes | None = None) -> bytes:
    """``package`` as bytes with the ``changed`` parts (part name -> bytes)
    replaced and the ``added`` parts after them; every other member keeps its
    bytes, name, order, date and compression method. An unchanged member is
    copied as stored in ``source`` (the bytes of the file ``package`` was read
    from; read again when not given) when its entry there has the same size and
    CRC-32, else compressed again. WorkbookError for an added part the package
    already has."""
    added = added or {}
    for name in added:
        if name in package.parts:
            raise WorkbookError(f"formkit would add a part {name} the workbook already has; nothing was written",
                                file=package.file)
    if source is None:
        try:
            source = Path(package.file).read_bytes()
        except OSError:
            source = b""
    stored = _stored_members(source)
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    members = [(info, changed.get(info.filename)) for info in package.infos if not info.is_dir()]
    first = package.infos[0].date_time if package.infos else (1980, 1, 1, 0, 0, 0)
    for name, data in added.items():
        entry = zipfile.ZipInfo(name, first)
        entry.compress_type = zipfile.ZIP_DEFLATED
        members.append((entry, data))
    for info, new in members:
        raw = stored.get(info.filename) if new is None else None
        if raw is not None and (raw[0].CRC, raw[0].file_size) == (info.CRC, info.file_size):
            body, crc, size, method, flags = raw[1], info.CRC, info.file_size, raw[0].compress_type, raw[0].flag_bits
        else:
            data = new if new is not None else package.parts[info.filename]
            method = zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
            body = data if method == zipfile.ZIP_STORED else deflate(data)
            crc, size, flags = zlib.crc32(data), len(data), 0
        name, utf8 = _name(info.filename)
        flags = (flags & ~0x0808) | utf8
        if size > _LIMIT or len(body) > _LIMIT or offset > _LIMIT:
            raise WorkbookError("would be too big for an ordinary zip file; nothing was written", file=package.file)
        time, day = _dos(info.date_time)
        comment = info.comment or b""
        out += [_LOCAL.pack(b"PK\x03\x04", 20, 0, flags, method, time, day, crc, len(body), size, len(name), 0),
                name, body]
        directory += [_CENTRAL.pack(b"PK\x01\x02", 20, info.create_system, 20, 0, flags, method, time, day, crc,
                                    len(body), size, len(name), 0, len(comment), 0, info.internal_attr,
                                    info.external_attr, offset), name, comment]
        offset += _LOCAL.size + len(name) + len(body)
    listing = b"".join(directory)
    out += [listing, _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(listing), offset, 0)]
    return b"".join(out)


def deflate(data: bytes) -> bytes:
    """``data`` as a raw deflate stream at :data:`LEVEL`. A part of several
    pieces is deflated on threads, a piece each, every piece but the last
    ending on a byte boundary (a sync flush) so the pieces join as one stream."""
    if len(data) <= 2 * PIECE:
        return _piece(data, 0, len(data), True)
    starts = range(0, len(data), PIECE)
    workers = min(4, os.cpu_count() or 1)
    if workers == 1:
        return b"".join(_piece(data, s, min(s + PIECE, len(data)), s + PIECE >= len(data)) for s in starts)
    with ThreadPoolExecutor(workers) as pool:
        return b"".join(pool.map(lambda s: _piece(data, s, min(s + PIECE, len(data)), s + PIECE >= len(data)),
                                 starts))


def _piece(data: bytes, start: int, end: int, last: bool) -> bytes:
    if start:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zlib.DEF_MEM_LEVEL, zlib.Z_DEFAULT_STRATEGY,
                                      data[max(0, start - WINDOW):start])
    else:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    view = memoryview(data)[start:end]
    return compressor.compress(view) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _stored_members(source: bytes) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
    """Each member of the zip file ``source`` with its stored bytes, as found
    through its local header; a member that cannot be found so is left out (it
    is then compressed again)."""
    found: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return found
    for info in infos:
        at = info.header_offset
        header = source[at:at + _LOCAL.size]
        if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04" or info.flag_bits & 0x1:
            continue
        fields = _LOCAL.unpack(header)
        start = at + _LOCAL.size + fields[10] + fields[11]
        body = source[start:start + info.compress_size]
        if len(body) == info.compress_size and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            found[info.filename] = (info, body)
    return found


def _name(filename: str) -> tuple[bytes, int]:
    try:
        return filename.encode("ascii"), 0
    except UnicodeEncodeError:
        return filename.encode("utf-8"), 0x800


def _dos(when: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = when
    return hour << 11 | minute << 5 | second // 2, max(year - 1980, 0) << 9 | month << 5 | day
