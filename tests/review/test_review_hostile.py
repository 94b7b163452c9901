"""Hostile or broken input: one ReviewError each, and the ledger stays byte-identical."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.errors import ReviewError
from briefings.review import ingest, read_review_docx
from tests.review import review_kit as kit

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']><w:document xmlns:w="'
    + kit.W.encode()
    + b'"><w:body><w:p><w:r><w:t>&lol9;</w:t>'
    b"</w:r></w:p></w:body></w:document>"
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:comments xmlns:w="' + kit.W.encode() + b'"><w:comment w:id="0" w:author="x">'
    b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:comment></w:comments>"
)
REMOTE = (
    b'<?xml version="1.0"?><!DOCTYPE p SYSTEM "http://127.0.0.1:9/evil.dtd">'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
)


def with_part(src, dest, name, data, compression=zipfile.ZIP_DEFLATED):
    parts = kit.read_zip(src)
    parts[name] = data
    return kit.write_zip(dest, parts, compression)


def declared_size_lie(src, dest, size=2**31):
    """Patch the central directory so word/document.xml declares `size` bytes uncompressed."""
    data = bytearray(src.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    dest.write_bytes(bytes(data))
    return dest


def zip_bomb(dest):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml", b"<w:document>" + b" " * (20 * 1024 * 1024) + b"</w:document>"
        )
    dest.write_bytes(buf.getvalue())
    return dest


def many_members(src, dest):
    parts = kit.read_zip(src)
    parts.update({f"customXml/item{i}.xml": b"<a/>" for i in range(2100)})
    return kit.write_zip(dest, parts, zipfile.ZIP_STORED)


def directory_claims(src, dest, count=0xFFFF):
    """Patch the end-of-directory record to claim `count` members (a ZIP64-sized directory)."""
    data = bytearray(src.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, at + 8, count, count)
    dest.write_bytes(bytes(data))
    return dest


def huge(dest):
    with open(dest, "wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: costs no disk, no time
    return dest


CASES = {
    "not a zip": (
        lambda d, t: (t / "x.docx").write_bytes(b"%PDF-1.7 not a docx") and t / "x.docx",
        "not a zip",
    ),
    "empty file": (lambda d, t: (t / "x.docx").write_bytes(b"") or t / "x.docx", "not a zip"),
    "zip, not a docx": (lambda d, t: kit.write_zip(t / "x.docx", {"a.txt": b"hi"}), "not a DOCX"),
    "zip bomb (ratio)": (lambda d, t: zip_bomb(t / "x.docx"), "zip bomb"),
    "declared size": (
        lambda d, t: declared_size_lie(kit.reviewed(d, t / "r.docx"), t / "x.docx"),
        "zip bomb",
    ),
    "too many members": (lambda d, t: many_members(d, t / "x.docx"), "too many"),
    "directory claims 65535 members": (lambda d, t: directory_claims(d, t / "x.docx"), "too many"),
    "huge file": (lambda d, t: huge(t / "x.docx"), "too large"),
    "billion laughs": (lambda d, t: with_part(d, t / "x.docx", "word/document.xml", LAUGHS), "DTD"),
    "external entity": (
        lambda d, t: with_part(d, t / "x.docx", "word/comments.xml", EXTERNAL),
        "DTD",
    ),
    "external DTD": (lambda d, t: with_part(d, t / "x.docx", "docProps/custom.xml", REMOTE), "DTD"),
    "utf-16 doctype": (
        lambda d, t: with_part(
            d,
            t / "x.docx",
            "word/document.xml",
            LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"),
        ),
        "DTD",
    ),
    "malformed xml": (
        lambda d, t: with_part(d, t / "x.docx", "word/document.xml", b"<w:document"),
        "malformed",
    ),
    "other paper": (
        lambda d, t: kit.pandoc_docx(kit.markdown(paper="other-paper"), t / "x.docx"),
        "other-paper",
    ),
    "unknown edition": (
        lambda d, t: kit.pandoc_docx(kit.markdown(edition="draft-9"), t / "x.docx"),
        "unknown edition",
    ),
    "no edition id": (
        lambda d, t: kit.pandoc_docx("# Hello {#sec-x}\n\nText.\n", t / "x.docx"),
        "edition-id",
    ),
    "missing file": (lambda d, t: t / "absent.docx", "cannot read"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_is_one_line_review_error(case, project, draft, tmp_path, ledger_bytes):
    ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "good.docx")])
    before = ledger_bytes()
    make, message = CASES[case]
    bad = make(draft, tmp_path)
    with pytest.raises(ReviewError, match=message) as raised:
        ingest(project, kit.PAPER, [draft, bad])  # a good file first: still nothing written
    assert "\n" not in str(raised.value) and len(raised.value.lines()) == 1
    assert ledger_bytes() == before


def test_failed_first_ingest_creates_no_ledger(project, draft, tmp_path, ledger_bytes):
    with pytest.raises(ReviewError):
        ingest(
            project,
            kit.PAPER,
            [kit.reviewed(draft, tmp_path / "r.docx"), zip_bomb(tmp_path / "b.docx")],
        )
    assert ledger_bytes() == b""


@pytest.fixture(scope="module")
def sample_bytes(tmp_path_factory):
    from briefings.project import Project

    root = tmp_path_factory.mktemp("fuzz")
    (root / "paper_sources" / kit.PAPER).mkdir(parents=True)
    draft = kit.build_edition(Project(root), kit.EDITION)
    return kit.reviewed(draft, root / "r.docx").read_bytes()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_files_raise_only_review_error(sample_bytes, tmp_path, data):
    blob = bytearray(sample_bytes)
    how = data.draw(st.sampled_from(["flip", "truncate", "splice"]))
    if how == "flip":
        for at in data.draw(st.lists(st.integers(0, len(blob) - 1), min_size=1, max_size=20)):
            blob[at] = data.draw(st.integers(0, 255))
    elif how == "truncate":
        blob = blob[: data.draw(st.integers(0, len(blob)))]
    else:
        blob[data.draw(st.integers(0, len(blob))) :] = data.draw(st.binary(max_size=200))
    path = tmp_path / "fuzz.docx"
    path.write_bytes(bytes(blob))
    try:
        read_review_docx(path)
    except ReviewError:
        pass


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    part=st.sampled_from(
        [
            "word/document.xml",
            "word/comments.xml",
            "word/commentsExtended.xml",
            "docProps/custom.xml",
        ]
    ),
    xml=st.one_of(
        st.text(max_size=300).map(str.encode),
        st.recursive(
            st.just("<w:t>x</w:t>"),
            lambda inner: st.builds(
                lambda tag, body: f'<w:{tag} w:id="1">{body}</w:{tag}>',
                st.sampled_from(
                    [
                        "p",
                        "r",
                        "ins",
                        "del",
                        "body",
                        "comment",
                        "commentRangeStart",
                        "bookmarkStart",
                        "bookmarkEnd",
                        "commentReference",
                    ]
                ),
                st.lists(inner, max_size=3).map("".join),
            ),
            max_leaves=12,
        ).map(lambda body: f'<w:document xmlns:w="{kit.W}">{body}</w:document>'.encode()),
    ),
)
def test_fuzzed_parts_raise_only_review_error(sample_bytes, tmp_path, part, xml):
    parts = kit.read_zip_bytes(sample_bytes)
    parts[part] = xml
    path = kit.write_zip(tmp_path / "fuzz.docx", parts)
    try:
        read_review_docx(path)
    except ReviewError:
        pass
