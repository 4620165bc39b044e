"""The page holds special category data: only its own user, from its own pages, gets in."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from formkit.web import Server
from formkit.web.security import COOKIE, REFUSED_HOST, REFUSED_TOKEN

from .conftest import SAMPLES


@pytest.fixture
def client(server: Server):
    with httpx.Client(base_url=server.base, follow_redirects=False, timeout=30) as http:
        yield http


def signed_in(server: Server, client: httpx.Client) -> httpx.Client:
    answer = client.get(f"/?token={server.workspace.token}")
    assert answer.status_code == 303
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path", ["/", "/register", "/static/formkit.js", "/jobs/abc.json", "/no-such-page"])
def test_a_request_without_the_token_is_refused(client, path):
    answer = client.get(path)
    assert answer.status_code == 403
    assert REFUSED_TOKEN in answer.text


def test_a_wrong_token_or_cookie_is_refused(client):
    assert client.get("/?token=guess").status_code == 403
    client.cookies.set(COOKIE, "guess")
    assert client.get("/").status_code == 403


def test_the_token_becomes_an_httponly_samesite_strict_cookie(server, client):
    answer = client.get(f"/register?token={server.workspace.token}")
    assert answer.status_code == 303 and answer.headers["location"] == "/register"
    cookie = answer.headers["set-cookie"]
    assert cookie == f"{COOKIE}={server.workspace.token}; HttpOnly; SameSite=Strict; Path=/"
    assert client.get("/register").status_code == 200


def test_another_host_name_is_refused(server, client):
    signed_in(server, client)
    answer = client.get("/", headers={"Host": f"evil.example:{server.port}"})
    assert answer.status_code == 400 and REFUSED_HOST in answer.text


def test_every_answer_has_a_strict_policy_and_pages_have_no_inline_script(server, client):
    signed_in(server, client)
    for path in ("/", "/register", "/letters", "/due", "/audit", "/static/formkit.css"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "default-src 'none'" in policy and "unsafe" not in policy
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["cache-control"] == "no-store"
        if path.endswith((".css",)):
            continue
        assert re.findall(r"<script(?![^>]*\bsrc=)", answer.text) == []
        assert re.findall(r"\son[a-z]+=", answer.text) == []
        assert "//" not in "".join(re.findall(r'src="([^"]+)"', answer.text))


def test_a_cross_site_post_is_refused_and_changes_nothing(server, client):
    signed_in(server, client)
    token = csrf_of(client.get("/register").text)
    register = {"file": ("register.xlsx", (SAMPLES / "register.xlsx").read_bytes())}
    answer = client.post("/register/drop", files=register, data={"csrf": token},
                         headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403
    answer = client.post("/register/drop", files=register)  # no CSRF token: a forged form
    assert answer.status_code == 403
    answer = client.post("/register/drop", files=register, data={"csrf": "guess"})
    assert answer.status_code == 403
    assert server.workspace.register is None
    assert not (server.workspace.root / "Dropped files").exists() or not any(
        p.is_file() for p in (server.workspace.root / "Dropped files").rglob("*"))


@pytest.mark.parametrize("path", ["/letters/write", "/letters/preview", "/term-start/write"])
def test_a_forged_letters_or_iep_run_writes_nothing(server, client, path):
    import shutil

    shutil.copy(SAMPLES / "register.xlsx", server.workspace.root / "register.xlsx")
    signed_in(server, client)
    server.workspace.register = None
    client.post("/register/choose", data={"csrf": csrf_of(client.get("/register").text), "file": "register.xlsx"})
    assert server.workspace.register is not None
    form = {"letter": "iep_cover", "choose": "all", "template": "iep"}
    assert client.post(path, data=form).status_code == 403
    assert client.post(path, data={**form, "csrf": "guess"}).status_code == 403
    answer = client.post(path, data={**form, "csrf": server.workspace.csrf},
                         headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403
    for folder in ("Letters", "IEPs", "Previews"):
        assert not (server.workspace.root / folder).exists()
    assert server.workspace.jobs.running() == [] and server.workspace.jobs.latest("letters") is None


def test_a_cross_site_form_in_a_real_browser_is_refused(chromium, server):
    """A page on another site posts a form to formkit: the SameSite=Strict cookie
    is not sent, so formkit refuses it and nothing is written."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(server.url)
        evil = (f'<form id="f" method="post" action="{server.base}/register/choose">'
                '<input name="file" value="register.xlsx"></form>'
                '<script>document.getElementById("f").submit()</script>')
        page.route("http://evil.example/", lambda route: route.fulfill(status=200, body=evil,
                                                                        content_type="text/html"))
        page.goto("http://evil.example/")
        page.wait_for_url(f"{server.base}/register/choose")
        assert REFUSED_TOKEN in page.inner_text("body")
    finally:
        context.close()
    assert server.workspace.register is None


@pytest.mark.parametrize("name", ["../../x", "../../x.xlsx", "..\\..\\x.csv", "/tmp/x.xlsx"])
def test_an_upload_named_to_escape_writes_nothing_outside_the_workspace(server, client, tmp_path, name):
    signed_in(server, client)
    before = {p for p in tmp_path.rglob("*")}
    token = csrf_of(client.get("/register").text)
    answer = client.post("/register/drop", data={"csrf": token},
                         files={"file": (name, (SAMPLES / "register.xlsx").read_bytes())})
    assert answer.status_code in (303, 400)
    root = server.workspace.root
    made = {p for p in tmp_path.rglob("*")} - before
    assert made and all(root in p.parents for p in made), made
    assert not any(p.name.startswith("x") for p in tmp_path.rglob("*"))
    for path in made:
        assert path.parent.name != "x"
        assert (path.stat().st_mode & 0o077) == 0, path


def test_an_upload_over_the_limit_is_refused_and_removed(server, client, monkeypatch):
    from formkit import guard

    monkeypatch.setattr(guard, "MAX_INPUT_BYTES", 1000)
    signed_in(server, client)
    token = csrf_of(client.get("/register").text)
    answer = client.post("/register/drop", data={"csrf": token},
                         files={"file": ("register.xlsx", (SAMPLES / "register.xlsx").read_bytes())})
    assert answer.status_code == 413
    assert "register.xlsx: is more than 0 MB" in answer.text or "formkit reads files up to" in answer.text
    assert not any(p.is_file() for p in (server.workspace.root / "Dropped files").rglob("*"))


def test_the_servers_log_lines_hold_no_pupil_data_and_no_token(server, client, caplog):
    caplog.set_level(logging.DEBUG, logger="formkit")
    signed_in(server, client)
    token = csrf_of(client.get("/register").text)
    client.post("/register/drop", data={"csrf": token},
                files={"file": ("Chaudhry, Aarav register.xlsx", (SAMPLES / "register.xlsx").read_bytes())})
    client.get("/register")
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("formkit", "uvicorn")))
    assert "GET /register 200" in text
    for secret in ("Chaudhry", "Aarav", "X801200026022", server.workspace.token, server.workspace.csrf):
        assert secret not in text


def test_the_server_listens_on_this_computer_only_unless_told(workspace):
    running = Server(workspace, port=0)
    try:
        assert running.socket.getsockname()[0] == "127.0.0.1"
    finally:
        running.socket.close()
