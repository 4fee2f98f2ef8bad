"""TwiML for the voice webhook: connect the call to our media stream, with a spoken fallback."""

from __future__ import annotations

from twilio.twiml.voice_response import Connect, VoiceResponse

FALLBACK_TEXT = "Sorry, we are having trouble connecting your call. Please call again later. Goodbye."


def connect_stream(stream_url: str, token: str, status_callback: str | None = None) -> str:
    """`<Connect><Stream>` with the single-use token; the fallback runs only if the stream ends unasked."""
    response = VoiceResponse()
    connect = Connect()
    stream = connect.stream(url=stream_url, status_callback=status_callback)
    stream.parameter(name="token", value=token)
    response.append(connect)
    response.say(FALLBACK_TEXT)
    response.hangup()
    return str(response)


def say_and_hang_up(text: str) -> str:
    """Used when no stream can be offered (shutting down)."""
    response = VoiceResponse()
    response.say(text)
    response.hangup()
    return str(response)


def hang_up() -> str:
    """A replayed webhook for a call that already ran: end it without a word."""
    response = VoiceResponse()
    response.hangup()
    return str(response)
