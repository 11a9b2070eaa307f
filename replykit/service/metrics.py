"""Prometheus metrics of one service (prometheus_client), on the instance's own registry.

With several uvicorn workers each worker is its own process: then values live
in prometheus_client's multiprocess folder (PROMETHEUS_MULTIPROC_DIR, created
by `replykit serve`) and /metrics adds up every worker's, whichever answers.
"""
from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from ..results import CheckResult

# Check takes milliseconds; the buckets resolve the 10 ms target and show stragglers.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class ServiceMetrics:
    def __init__(self, multiprocess_dir: str | None = None):
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("replykit_http_requests", "HTTP requests answered, by endpoint, method and status",
                                ["endpoint", "method", "status"], registry=r)
        self.latency = Histogram("replykit_http_request_duration_seconds",
                                 "Time from request to the end of the response, by endpoint", ["endpoint"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.findings = Counter("replykit_findings", "Findings reported by /v1/check, by category and severity",
                                ["category", "severity"], registry=r)
        self.verdicts = Counter("replykit_check_verdicts", "Verdicts of /v1/check", ["verdict"], registry=r)
        self.pack = Gauge("replykit_pack_info", "The pack served: 1 for its name and content digest",
                          ["name", "digest"], registry=r, multiprocess_mode="livemax")
        self.reloads = Counter("replykit_pack_reloads", "Pack reloads by outcome (ok, unchanged, failed)",
                               ["outcome"], registry=r)

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(endpoint, method, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)

    def observe_check(self, result: CheckResult) -> None:
        self.verdicts.labels(result.verdict).inc()
        for finding in result.findings:
            self.findings.labels(finding.category, finding.severity).inc()

    def serving(self, name: str, digest: str, previous: tuple[str, str] | None) -> None:
        if previous is not None and previous != (name, digest):
            self.pack.labels(*previous).set(0)
        self.pack.labels(name, digest).set(1)

    def exposition(self) -> tuple[bytes, str]:
        """The text format of every metric (of every worker with several)."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=self.multiprocess_dir)
        return generate_latest(registry), CONTENT_TYPE_LATEST

    def close(self) -> None:
        """A worker going away: its live gauges stop counting."""
        if self.multiprocess_dir is not None:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid(), self.multiprocess_dir)
