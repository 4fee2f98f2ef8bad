"""Bridge configuration from flags and the environment, validated once at start-up."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr, field_validator
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
