"""Prometheus metrics for one bridge process (own registry, so tests can run several apps)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0)


class BridgeMetrics:
    """The counters the ops dashboard and the load benchmark read."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.active_calls = Gauge("bridge_active_calls", "Calls in progress", ["provider"], registry=r)
        self.calls = Counter("bridge_calls", "Finished calls by outcome", ["provider", "outcome"], registry=r)
        self.turn_latency = Histogram(
            "bridge_turn_latency_seconds",
            "End of caller speech to the first audio of the next prompt sent",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.recogniser_seconds = Histogram(
            "bridge_recogniser_seconds", "Time the recogniser took per answer", buckets=LATENCY_BUCKETS, registry=r
        )
        self.frames_received = Counter("bridge_frames_received", "Media frames received", ["provider"], registry=r)
        self.frames_sent = Counter("bridge_frames_sent", "Media frames sent", ["provider"], registry=r)
        self.late_frames = Counter(
            "bridge_late_frames", "Outgoing chunks sent after their playback time", ["provider"], registry=r
        )
        self.errors = Counter("bridge_errors", "Errors by kind", ["kind"], registry=r)
        self.replays = Counter(
            "bridge_replays", "Webhooks or streams refused because the call already has a record or a stream",
            ["provider"], registry=r,
        )  # fmt: skip
        self.input_dropped = Counter(
            "bridge_input_dropped_frames", "Caller frames dropped for arriving ahead of real time", ["provider"],
            registry=r,
        )  # fmt: skip
        self.spooled = Gauge("bridge_spooled_records", "Call records waiting in the local spool", registry=r)
        self.interrupted = Counter(
            "bridge_interrupted_records", "Records left open by a stopped instance, closed as interrupted", registry=r
        )
        self.checkpoints = Counter(
            "bridge_checkpoints", "Per-turn record checkpoints by result", ["result"], registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
