"""Bridge configuration from flags and the environment, validated once at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class BridgeSettings(BaseSettings):
    """Everything the bridge reads from its environment; flags override through keyword arguments."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    host: str = Field("127.0.0.1", validation_alias=AliasChoices("host", "BRIDGE_HOST"))
    port: int = Field(8080, ge=0, le=65535, validation_alias=AliasChoices("port", "BRIDGE_PORT"))
    public_base_url: str = Field("http://127.0.0.1:8080", validation_alias=AliasChoices("PUBLIC_BASE_URL"))
    """The URL Twilio sees (scheme and host); TwiML stream URLs and signatures are built from it."""
    public_stream_base_url: str | None = Field(None, validation_alias=AliasChoices("PUBLIC_STREAM_BASE_URL"))
    """This process's own public URL when several sit behind one webhook URL (see docs/bridge.md):
    the media stream then comes back to the process that issued its token."""
    twilio_auth_token: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("TWILIO_AUTH_TOKEN"))
    twilio_account_sid: str = Field("", validation_alias=AliasChoices("TWILIO_ACCOUNT_SID"))
    twilio_api_base_url: str | None = Field(None, validation_alias=AliasChoices("TWILIO_API_BASE_URL"))
    """Override of https://api.twilio.com, so tests can hang up through a loopback fake."""
    engine: str = Field("offline", validation_alias=AliasChoices("engine", "QUICKRUPEE_ENGINE"))
    language: str = Field("en", validation_alias=AliasChoices("language", "QUICKRUPEE_LANGUAGE"))
    """The calls' language ("en", "hi"): prompts, voice and recogniser."""
    bridge_api_token: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("BRIDGE_API_TOKEN"))
    db_url: str | None = Field(None, validation_alias=AliasChoices("QUICKRUPEE_DB_URL"))
    """Records store URL; unset means the store's default SQLite file."""
    exotel_username: str = Field("", validation_alias=AliasChoices("EXOTEL_USERNAME"))
    exotel_password: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("EXOTEL_PASSWORD"))
    exotel_token: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("EXOTEL_TOKEN"))
    """Alternative to Basic auth: `?token=` on the stream URL or a `token` custom parameter."""
    start_timeout_s: float = Field(
        5.0, gt=0, validation_alias=AliasChoices("start_timeout_s", "BRIDGE_START_TIMEOUT_S")
    )
    """A media socket that sends no valid `start` within this is closed."""
    shutdown_grace_s: float = Field(
        30.0, ge=0, validation_alias=AliasChoices("shutdown_grace_s", "BRIDGE_SHUTDOWN_GRACE_S")
    )
    """How long calls in progress may go on after SIGTERM before they are closed and recorded."""
    max_message_bytes: int = Field(65536, ge=1024, validation_alias=AliasChoices("BRIDGE_MAX_MESSAGE_BYTES"))
    stream_token_ttl_s: float = Field(60.0, gt=0, validation_alias=AliasChoices("BRIDGE_STREAM_TOKEN_TTL_S"))
    pacing_lead_ms: int = Field(120, ge=0, le=1000, validation_alias=AliasChoices("BRIDGE_PACING_LEAD_MS"))
    """How far ahead of the far end's playback each audio chunk is sent."""
    log_level: str = Field("INFO", validation_alias=AliasChoices("log_level", "BRIDGE_LOG_LEVEL"))
    spool_dir: Path | None = Field(None, validation_alias=AliasChoices("spool_dir", "QUICKRUPEE_SPOOL_DIR"))
    """Where records wait while the database is down; unset means the user data dir."""

    # --- limits (docs/bridge.md, "Limits") ---
    max_connections: int = Field(
        1000, ge=10, validation_alias=AliasChoices("max_connections", "BRIDGE_MAX_CONNECTIONS")
    )
    """Open HTTP/WebSocket connections at most; beyond it new requests get 503 (and the open-files
    limit is raised, or this lowered, so the process never runs out of file descriptors)."""
    header_timeout_s: float = Field(
        10.0, gt=0, validation_alias=AliasChoices("header_timeout_s", "BRIDGE_HEADER_TIMEOUT_S")
    )
    """A connection that has not sent a complete request head within this is closed (idle or half-sent)."""
    body_timeout_s: float = Field(10.0, gt=0, validation_alias=AliasChoices("body_timeout_s", "BRIDGE_BODY_TIMEOUT_S"))
    """A webhook body not complete within this gets 408."""
    keep_alive_s: float = Field(5.0, gt=0, validation_alias=AliasChoices("keep_alive_s", "BRIDGE_KEEP_ALIVE_S"))
    """An idle keep-alive connection between requests is closed after this."""
    max_webhook_bytes: int = Field(
        16384, ge=1024, validation_alias=AliasChoices("max_webhook_bytes", "BRIDGE_MAX_WEBHOOK_BYTES")
    )
    """Largest webhook body read (Twilio's voice and status forms are ~1-2 KB); beyond it 413."""
    ws_ping_s: float = Field(20.0, gt=0, validation_alias=AliasChoices("ws_ping_s", "BRIDGE_WS_PING_S"))
    """WebSocket keep-alive: a ping this often; no pong within as long ends the call (`keepalive_timeout`)."""
    input_buffer_ms: int = Field(
        500, ge=40, le=10000, validation_alias=AliasChoices("input_buffer_ms", "BRIDGE_INPUT_BUFFER_MS")
    )
    """Caller audio may run this far ahead of real time; frames beyond it are dropped and counted."""
    heartbeat_s: float = Field(5.0, gt=0, validation_alias=AliasChoices("heartbeat_s", "BRIDGE_HEARTBEAT_S"))
    """How often this instance writes its heartbeat (which also proves the database writable)."""
    orphan_after_s: float = Field(30.0, gt=0, validation_alias=AliasChoices("orphan_after_s", "BRIDGE_ORPHAN_AFTER_S"))
    """An open record whose instance has not beaten its heartbeat for this long is closed as `interrupted`."""
    spool_retry_max_s: float = Field(
        30.0, gt=0, validation_alias=AliasChoices("spool_retry_max_s", "BRIDGE_SPOOL_RETRY_MAX_S")
    )
    """The spool is retried in the background from 0.5 s, doubling after each failure up to this."""

    @model_validator(mode="after")
    def _orphans_outlive_heartbeats(self) -> BridgeSettings:
        if self.orphan_after_s < 2 * self.heartbeat_s:
            raise ValueError("BRIDGE_ORPHAN_AFTER_S must be at least twice BRIDGE_HEARTBEAT_S")
        return self

    @field_validator("language")
    @classmethod
    def _known_language(cls, language: str) -> str:
        from core.language import check_language

        return check_language(language)

    @field_validator("public_base_url", "public_stream_base_url")
    @classmethod
    def _http_base(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("http://", "https://")):
            raise ValueError("public URLs must start with http:// or https://")
        return url.rstrip("/") if url else url

    def public_url(self, path: str, query: str = "") -> str:
        """The URL Twilio requested, as it signed it: public base + path + raw query."""
        return f"{self.public_base_url}{path}" + (f"?{query}" if query else "")

    def public_ws_url(self, path: str) -> str:
        """The stream URL as written in TwiML: https -> wss, http -> ws."""
        scheme, rest = (self.public_stream_base_url or self.public_base_url).split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}{path}"
