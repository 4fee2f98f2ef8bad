"""Headless telephony bridge: Twilio Media Streams and Exotel voicebot streams into the shared core."""
