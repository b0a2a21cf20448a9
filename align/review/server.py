"""The review page's local web server (Starlette on uvicorn).

Security model: the server binds 127.0.0.1 unless told otherwise; every request
must carry the random token (``?token=`` on the first page load, then an
HttpOnly SameSite cookie, or an ``X-Align-Token`` header); a request with an
``Origin`` other than the page's own, a foreign ``Host`` (DNS rebinding) or a
cross-site ``Sec-Fetch-Site`` is refused. There is no route that takes a path:
the only files touched are the input (read at start), its journal and the
export file fixed at start-up.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from align.errors import AlignError
from align.review.model import ArgError, EditError
from align.review.session import ReviewSession

COOKIE = "align_review_token"
HEADER = "x-align-token"
MAX_BODY = 4 << 20  # an action is a few hundred bytes; a pasted novel is refused
_STATIC = {"review.js": "text/javascript", "review.css": "text/css"}
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _asset(name: str) -> bytes:
    return resources.files("align.review").joinpath("static", name).read_bytes()


class Guard:
    """ASGI middleware: token, Host, Origin and Sec-Fetch-Site checks before any route."""

    def __init__(self, app: ASGIApp, token: str, hosts: set[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts  # "host:port" values the page may be served under

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        problem = self.refuse(request)
        if problem:
            await JSONResponse({"error": problem}, status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refuse(self, request: Request) -> str | None:
        host = request.headers.get("host", "")
        if self.hosts and host not in self.hosts:
            return "unknown Host"
        origin = request.headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return "foreign Origin"  # the page itself always sends its own origin
        if request.headers.get("sec-fetch-site") == "cross-site":
            return "cross-site request"
        given = (
            request.query_params.get("token")
            or request.headers.get(HEADER)
            or request.cookies.get(COOKIE)
            or ""
        )
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return "missing or wrong token; open the URL align review printed"
        return None


def create_app(session: ReviewSession, token: str, hosts: set[str]) -> ASGIApp:
    """The Starlette app for ``session``; ``hosts`` are the allowed ``Host`` header values."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("align.review", "templates"), autoescape=select_autoescape()
    )
    page = env.get_template("review.html")

    async def index(request: Request) -> Response:
        html = page.render(meta=session.meta())
        response = HTMLResponse(html, headers=_security_headers())
        if request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return JSONResponse({"error": "not found"}, status_code=404)
        return Response(_asset(name), media_type=_STATIC[name], headers=_security_headers())

    def state(request: Request) -> Response:
        return Response(
            session.state_json(),
            media_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    def pending(request: Request) -> Response:
        return _json({"pending": not session.glossary_ready})

    async def act(request: Request) -> Response:
        body = await _body(request)
        if isinstance(body, Response):
            return body
        op = body.get("op")
        args = body.get("args") or {}
        if not isinstance(op, str) or not isinstance(args, dict):
            return _json({"error": "expected {op: name, args: {...}}"}, 400)
        try:
            return _json(session.act(op, args))
        except ArgError as exc:  # malformed: a bad type, side or index
            return _json({"error": exc.problem}, 400)
        except EditError as exc:  # well-formed but not applicable to the beads as they are
            return _json({"error": exc.problem}, 409)

    async def export(request: Request) -> Response:
        body = await _body(request)
        if isinstance(body, Response):
            return body
        if set(body) - {"confirm"}:
            return _json(
                {"error": "the export file is fixed when align review starts (-o); "
                 "no other path can be written"}, 400
            )  # fmt: skip
        try:
            return _json(session.export())
        except AlignError as exc:
            return _json({"error": exc.message}, 500)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/api/state", state, methods=["GET"]),
        Route("/api/pending", pending, methods=["GET"]),
        Route("/api/act", act, methods=["POST"]),
        Route("/api/export", export, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    return Guard(app, token, hosts)


def _security_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": _CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(
        body,
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


async def _body(request: Request) -> dict[str, Any] | Response:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _json({"error": "send JSON (Content-Type: application/json)"}, 415)
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return _json({"error": "request too large"}, 413)
    try:
        data = json.loads(raw or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _json({"error": "the body is not JSON"}, 400)
    if not isinstance(data, dict):
        return _json({"error": "expected a JSON object"}, 400)
    return data


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one chosen by the OS)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise AlignError(None, f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def allowed_hosts(host: str, port: int) -> set[str]:
    """Host header values the page is reached under; empty (no check) for a wildcard bind."""
    if host in ("0.0.0.0", "::", "[::]"):
        return set()
    names = {host if ":" not in host or host.startswith("[") else f"[{host}]"}
    if is_loopback(host):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    return {f"{n}:{port}" for n in names}


def serve(session: ReviewSession, sock: socket.socket, token: str, on_ready=None) -> None:
    """Serve until Ctrl-C (SIGINT) or SIGTERM; uvicorn finishes the request in flight."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    app = create_app(session, token, allowed_hosts(str(host), int(port)))
    config = uvicorn.Config(
        app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=3
    )
    server = uvicorn.Server(config)
    if on_ready is not None:
        config_startup = server.startup

        async def startup(sockets=None):  # type: ignore[no-untyped-def]
            await config_startup(sockets=sockets)
            on_ready()

        server.startup = startup  # type: ignore[method-assign]
    server.run(sockets=[sock])
