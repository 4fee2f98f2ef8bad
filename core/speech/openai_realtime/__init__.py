"""OpenAI Realtime speech engine (GA protocol): transcription sessions, exact cached prompts, fail-over."""
