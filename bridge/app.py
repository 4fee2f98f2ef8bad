"""The ASGI app: Twilio and Exotel endpoints plus the ops API, around one shared Runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bridge import exotel_routes, ops_api, twilio_routes
from bridge.runtime import Runtime
from bridge.server import WebhookGuard
from bridge.settings import BridgeSettings
from core.records import StoreError
from core.speech.engine import SpeechEngine


def create_app(settings: BridgeSettings, *, engine: SpeechEngine | None = None) -> FastAPI:
    """One app per process; `engine` lets a host (or a test) share models already loaded."""
    runtime = Runtime(settings, engine=engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title="QuickRupee Voice bridge", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = runtime
    app.add_middleware(WebhookGuard, settings=settings, metrics=runtime.metrics)
    app.include_router(ops_api.router)
    app.include_router(twilio_routes.router)
    app.include_router(exotel_routes.router)

    @app.exception_handler(StoreError)
    async def store_down(_: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": f"records store unavailable: {exc}"}, status_code=503)

    return app
