"""Real servers on loopback for the bridge tests: the bridge itself and a fake Twilio REST API."""

from __future__ import annotations

import asyncio
import base64
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bridge.app import create_app
from bridge.runtime import Runtime
from bridge.server import server_config
from bridge.settings import BridgeSettings
from core.speech.engine import SpeechEngine

AUTH_TOKEN = "test-auth-token"
ACCOUNT_SID = "AC" + "1" * 32
OPS_TOKEN = "ops-token"
EXOTEL_USER, EXOTEL_PASSWORD, EXOTEL_TOKEN = "exo-key", "exo-secret", "exo-token"


def loopback_socket() -> tuple[socket.socket, int]:
    """A bound listening socket on a free port (handed to uvicorn, so no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock, sock.getsockname()[1]


@asynccontextmanager
async def serve(
    app: FastAPI, sock: socket.socket, config: uvicorn.Config | None = None
) -> AsyncIterator[uvicorn.Server]:
    """Run `app` on uvicorn in this event loop until the block ends (lifespan included)."""
    config = config or uvicorn.Config(app, log_config=None, lifespan="on", ws_max_size=1 << 20)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped during start-up")
        await asyncio.sleep(0.02)
    try:
        yield server
    finally:
        server.should_exit = True
        await task


@dataclass
class FakeTwilio:
    """Twilio's Calls resource on loopback: records hang-ups; `status` picks the answer (200/404/500)."""

    status: int = 200
    hangups: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/2010-04-01/Accounts/{account}/Calls/{call_sid}.json")
        async def update_call(account: str, call_sid: str, request: Request) -> JSONResponse:
            expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            if account != ACCOUNT_SID or request.headers.get("authorization") != expected:
                return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
            form = _form(await request.body())
            self.hangups.append((call_sid, form))
            if self.status != 200:
                code = 20404 if self.status == 404 else 20500
                return JSONResponse({"code": code, "status": self.status}, self.status)
            return JSONResponse({"sid": call_sid, "account_sid": account, "status": form.get("Status", "")})

        return app


def _form(body: bytes) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(body.decode()))


@dataclass
class BridgeUnderTest:
    url: str
    runtime: Runtime
    server: uvicorn.Server

    def ws_url(self, path: str) -> str:
        return "ws" + self.url.removeprefix("http") + path

    async def api(self, path: str) -> Any:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.get(self.url + path, headers={"Authorization": f"Bearer {OPS_TOKEN}"})
            response.raise_for_status()
            return response.json()

    async def metrics(self) -> str:
        async with httpx.AsyncClient(timeout=10) as http:
            return (await http.get(self.url + "/metrics")).text


def bridge_settings(port: int, db: Path, twilio_api: str, **overrides: Any) -> BridgeSettings:
    values: dict[str, Any] = {
        "public_base_url": f"http://127.0.0.1:{port}",
        "twilio_auth_token": AUTH_TOKEN,
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_api_base_url": twilio_api,
        "bridge_api_token": OPS_TOKEN,
        "db_url": f"sqlite:///{db}",
        "exotel_username": EXOTEL_USER,
        "exotel_password": EXOTEL_PASSWORD,
        "exotel_token": EXOTEL_TOKEN,
        "spool_dir": db.parent / "spool",
    }
    values.update(overrides)
    return BridgeSettings(**values)


@asynccontextmanager
async def running_bridge(
    engine: SpeechEngine, db: Path, twilio_api: str, **overrides: Any
) -> AsyncIterator[BridgeUnderTest]:
    sock, port = loopback_socket()
    settings = bridge_settings(port, db, twilio_api, **overrides)
    app = create_app(settings, engine=engine)
    async with serve(app, sock, server_config(app, settings, lifespan="on")) as server:
        yield BridgeUnderTest(f"http://127.0.0.1:{port}", app.state.runtime, server)
