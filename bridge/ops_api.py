"""Liveness, readiness, Prometheus metrics, and the bearer-protected call-record API."""

from __future__ import annotations

import asyncio
import hmac
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST

from bridge.runtime import Runtime

router = APIRouter()
_bearer = HTTPBearer(auto_error=False)


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Constant-time bearer check; no token configured means the API is closed, not open."""
    expected = runtime(request).settings.bridge_api_token.get_secret_value()
    given = credentials.credentials if credentials else ""
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready = models loaded, records database writable with nothing waiting in the spool, Twilio token
    configured, and not draining. Each check that fails says why (`problems`)."""
    rt = runtime(request)
    writable = rt.store is not None and await rt.check_store()
    spooled = await asyncio.to_thread(lambda: rt.waiting) if rt.store is not None else 0
    rt.metrics.spooled.set(spooled)
    checks = {
        "engine": rt.engine is not None,
        "database": writable,
        "spool_empty": spooled == 0,
        "twilio_token": bool(rt.settings.twilio_auth_token.get_secret_value()),
        "accepting_calls": not rt.calls.draining,
    }
    ready = all(checks.values())
    problems = {name: why for name, why in (("database", rt.store_problem), ("spool", spooled or None)) if why}
    body: dict[str, object] = {"ready": ready, **checks}
    if problems:
        body["problems"] = problems
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    return Response(runtime(request).metrics.render(), media_type=CONTENT_TYPE_LATEST)


@router.get("/api/calls/{call_sid}", dependencies=[Depends(require_token)])
async def get_call(call_sid: str, request: Request) -> JSONResponse:
    record = await asyncio.to_thread(runtime(request).records.get, call_sid)
    if record is None:
        raise HTTPException(404, f"no call record for {call_sid[:64]}")
    return JSONResponse(record)


@router.get("/api/calls", dependencies=[Depends(require_token)])
async def list_calls(request: Request, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> JSONResponse:
    """The most recent calls, each as full as the single-call view (turns included)."""
    store = runtime(request).records

    def full_records() -> list[dict[str, Any]]:
        found = (store.get(str(call["call_id"])) for call in store.list(limit))
        return [record for record in found if record is not None]

    return JSONResponse({"calls": await asyncio.to_thread(full_records)})


@router.get("/api/stats", dependencies=[Depends(require_token)])
async def stats(
    request: Request, since: Annotated[datetime | None, Query(description="ISO date or time, UTC if naive")] = None
) -> JSONResponse:
    """Screening performance from the shared records store: outcomes, funnel, drop-off, latency, by day."""
    return JSONResponse(await asyncio.to_thread(runtime(request).records.stats, since))
