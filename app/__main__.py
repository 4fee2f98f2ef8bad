"""`python -m app`: parse the first word and hand the rest to the front end that owns it."""

from __future__ import annotations

from app.offline_env import enforce_offline_env

enforce_offline_env()  # before anything can import onnxruntime or huggingface_hub

import sys  # noqa: E402

USAGE = """usage: python -m app [--kiosk] [options]      the desktop kiosk / softphone app
       python -m app --bridge [--host H] [--port P]  the telephony bridge (headless)
       python -m app simulate [--json] [...]      run a conversation from text or WAV answers
       python -m app records {list,show,export,stats,purge} ...
       python -m app --self-test | --version

kiosk options (demos and tests):
  --kiosk                 full screen, no window chrome; staff reach Settings and Exit through the PIN
  --language {en,hi}      the kiosk's language (default: $QUICKRUPEE_LANGUAGE, else the settings)
  --engine NAME           speech engine: offline or openai (default: from the settings)
  --input-wav WAV [WAV ...]  play these WAV files as the visitor's answers, one after each prompt
  --output-wav WAV        record what the kiosk would have played
  --exit-when-done        quit after the outcome and print the call as `simulate --json`"""


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a front end; each one imports only what it needs (the bridge never imports Qt)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if args[:1] == ["--version"]:
        from importlib.metadata import version

        print(f"quickrupee-voice {version('quickrupee-voice')}")
        return 0
    if args[:1] == ["simulate"]:
        from app.simulate import main as simulate_main

        return simulate_main(args[1:])
    if args[:1] == ["records"]:
        from core.records.cli import main as records_main

        return records_main(args[1:])
    if "--bridge" in args:
        from bridge.cli import main as bridge_main

        return bridge_main([a for a in args if a != "--bridge"])
    if "--self-test" in args:
        from app.selftest import main as selftest_main

        return selftest_main([a for a in args if a != "--self-test"])
    from app.kiosk import main as kiosk_main

    return kiosk_main(args)


if __name__ == "__main__":
    sys.exit(main())
