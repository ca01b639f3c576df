"""Prometheus metrics, one registry per app so several apps (tests) can coexist.

Counters are per worker process (no multiprocess mode): scrape each worker, or run one.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "bioql_http_requests",
            "HTTP requests by route, method and status code.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bioql_http_request_duration_seconds",
            "HTTP request latency by route.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "bioql_http_errors",
            "Responses with status >= 400, by status code.",
            ["status"],
            registry=self.registry,
        )
        self.tokens = Counter(
            "bioql_tokens",
            "Tokens processed by the assistant.",
            ["direction"],
            registry=self.registry,
        )
        self.charges = Counter(
            "bioql_charges",
            "Charges written to the ledger, by endpoint.",
            ["endpoint"],
            registry=self.registry,
        )
        self.charged_usd = Counter(
            "bioql_charged_usd",
            "US dollars charged to users (price incl. markup), by endpoint.",
            ["endpoint"],
            registry=self.registry,
        )
        self.generation_seconds = Histogram(
            "bioql_generation_seconds",
            "Assistant compute time per billed request.",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if status >= 400:
            self.errors.labels(str(status)).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
