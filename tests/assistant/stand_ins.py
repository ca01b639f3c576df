"""Local HTTP servers on 127.0.0.1 that speak the OpenAI and Anthropic protocols.

Each serves scripted model outputs in order and records the requests it received, so tests
exercise the real client code (httpx, the anthropic SDK) end to end without a network.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        )
        text = self.server.outputs.pop(0) if self.server.outputs else ""
        status, payload = self.server.respond(self.path, body, text)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _openai(path: str, body: dict[str, Any], text: str) -> tuple[int, dict[str, Any]]:
    usage = {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52}
    if path.endswith("/chat/completions"):
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": "stop",
        }
        return 200, {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [choice],
            "usage": usage,
        }
    if path.endswith("/completions"):
        choice = {"index": 0, "text": text, "finish_reason": "stop"}
        return 200, {
            "id": "cmpl-1",
            "object": "text_completion",
            "model": body["model"],
            "choices": [choice],
            "usage": usage,
        }
    return 404, {"error": {"message": "not found"}}


def _anthropic(path: str, body: dict[str, Any], text: str) -> tuple[int, dict[str, Any]]:
    if not path.endswith("/v1/messages"):
        return 404, {"type": "error", "error": {"type": "not_found_error", "message": "not found"}}
    return 200, {
        "id": "msg_01", "type": "message", "role": "assistant", "model": body["model"],
        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
        "usage": {"input_tokens": 55, "output_tokens": 9},
    }  # fmt: skip


@contextmanager
def serve(kind: str, outputs: list[str]) -> Iterator[Any]:
    """A running stand-in (``kind`` = "openai" or "anthropic") answering ``outputs`` in order."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.outputs = list(outputs)  # type: ignore[attr-defined]
    server.requests = []  # type: ignore[attr-defined]
    server.respond = _openai if kind == "openai" else _anthropic  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        server.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
        yield server
    finally:
        server.shutdown()
        server.server_close()
