"""Speech engines behind one small interface (engine.py); the offline engine runs Silero, Whisper and Piper."""
