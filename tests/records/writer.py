"""A stand-in for one bridge process: saves calls through the store from its event loop, as the bridge will.

usage: python tests/records/writer.py URL SPOOL_DIR PREFIX COUNT [--parallel N] [--timeout S]
Prints "saved CALL_ID WHERE" once each save has returned. COUNT 0 means until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.records import RecordStore
from core.records.demo import simulated_calls


async def run(args: argparse.Namespace) -> None:
    store = RecordStore.open(args.url, spool_dir=Path(args.spool_dir), timeout_s=args.timeout)
    templates = simulated_calls(50, seed=7)
    numbers = itertools.count() if args.count == 0 else iter(range(args.count))

    async def worker() -> None:
        for number in numbers:
            record = templates[number % len(templates)]
            data = record.to_json() | {"call_id": f"{args.prefix}-{number}"}
            where = await store.save_async(data)
            print(f"saved {data['call_id']} {where}", flush=True)

    await asyncio.gather(*(worker() for _ in range(args.parallel)))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("spool_dir")
    parser.add_argument("prefix")
    parser.add_argument("count", type=int)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=5.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
