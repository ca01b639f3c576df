"""A local stand-in for IonQ's REST API (v0.4), enough for qiskit-ionq's job life cycle.

IonQ has no offline simulator, so the adapter is tested against this server on 127.0.0.1.
It speaks the protocol qiskit-ionq uses (read from its ionq_client / ionq_job modules):

* ``GET  /v0.4/backends/<name>``                  → ``{"backend", "qubits", "status"}``
* ``POST /v0.4/jobs``  (``Authorization: apiKey KEY``, body ``ionq.circuit.v1``)
                                                   → ``{"id", "status": "submitted"}``
* ``GET  /v0.4/jobs/<id>``                        → ``ready`` / ``started`` for the first
  ``polls_before_done`` polls, then ``completed`` with ``results.probabilities.url``,
  ``stats`` and the submitted ``metadata`` echoed back (qiskit-ionq reads its header there)
* ``GET  /v0.4/jobs/<id>/results/probabilities`` → ``{"<outcome int>": probability}``, the
  integer's bit i being qubit i.

Probabilities are computed from the submitted gate list with Qiskit's Statevector, so the
answers are the real ideal distribution of whatever circuit the adapter sent.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from qiskit import QuantumCircuit
from qiskit.circuit import library as lib
from qiskit.quantum_info import Statevector

GATES = {
    "x": lib.XGate, "y": lib.YGate, "z": lib.ZGate, "h": lib.HGate,
    "s": lib.SGate, "si": lib.SdgGate, "t": lib.TGate, "ti": lib.TdgGate,
    "v": lib.SXGate, "vi": lib.SXdgGate,
    "rx": lib.RXGate, "ry": lib.RYGate, "rz": lib.RZGate, "swap": lib.SwapGate,
}  # fmt: skip
ROTATIONS = {"rx", "ry", "rz"}


def ideal_probabilities(circuit: list[dict[str, Any]], num_qubits: int) -> dict[str, float]:
    qc = QuantumCircuit(num_qubits)
    for op in circuit:
        name = op["gate"]
        if name not in GATES:
            raise ValueError(f"gate {name!r} is not supported")
        gate = GATES[name](op["rotation"]) if name in ROTATIONS else GATES[name]()
        controls = op.get("controls") or []
        if controls:
            gate = gate.control(len(controls))
        qc.append(gate, [*controls, *op["targets"]])
    probs = Statevector(qc).probabilities_dict()
    # Statevector keys print qubit 0 rightmost, so int(key, 2) has qubit i at bit i.
    return {str(int(k, 2)): float(p) for k, p in probs.items() if p > 1e-12}


@dataclass
class Job:
    id: str
    body: dict[str, Any]
    probabilities: dict[str, float]
    polls: int = 0


@dataclass
class IonQStandIn:
    api_key: str = "test-key"
    polls_before_done: int = 2
    devices: dict[str, int] = field(
        default_factory=lambda: {"simulator": 29, "qpu.aria-1": 25, "qpu.forte-1": 36}
    )
    jobs: dict[str, Job] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def start(self) -> str:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/v0.4"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the protocol -----------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        self.requests.append((method, path))
        parts = path.split("?")[0].strip("/").split("/")
        if parts[:1] != ["v0.4"]:
            return 404, {"error": {"type": "NotFound", "message": f"no route {path}"}}
        parts = parts[1:]
        if method == "GET" and len(parts) == 2 and parts[0] == "backends":
            return self._backend(parts[1])
        if headers.get("Authorization") != f"apiKey {self.api_key}":
            return 401, {"statusCode": 401, "error": "Unauthorized", "message": "Invalid key"}
        if method == "POST" and parts == ["jobs"]:
            return self._submit(json.loads(body))
        if method == "GET" and len(parts) == 2 and parts[0] == "jobs":
            return self._status(parts[1])
        if method == "GET" and len(parts) == 4 and parts[2:] == ["results", "probabilities"]:
            job = self.jobs.get(parts[1])
            return (200, job.probabilities) if job else (404, _missing(parts[1]))
        return 404, {"error": {"type": "NotFound", "message": f"no route {method} {path}"}}

    def _backend(self, name: str) -> tuple[int, Any]:
        if name not in self.devices:
            return 404, {"error": {"type": "NotFound", "message": f"unknown backend {name}"}}
        return 200, {"backend": name, "qubits": self.devices[name], "status": "available"}

    def _submit(self, body: dict[str, Any]) -> tuple[int, Any]:
        if body.get("type") != "ionq.circuit.v1":
            return 400, {"error": {"type": "BadRequest", "message": "unsupported job type"}}
        backend = body.get("backend")
        if backend not in self.devices:
            return 400, {"error": {"type": "BadRequest", "message": f"unknown backend {backend}"}}
        program = body["input"]
        if program["qubits"] > self.devices[backend]:
            return 400, {"error": {"type": "BadRequest", "message": "too many qubits"}}
        try:
            probs = ideal_probabilities(program["circuit"], program["qubits"])
        except (KeyError, ValueError) as exc:
            return 400, {"error": {"type": "BadRequest", "message": str(exc)}}
        job = Job(str(uuid.uuid4()), body, probs)
        self.jobs[job.id] = job
        return 200, {"id": job.id, "status": "submitted"}

    def _status(self, job_id: str) -> tuple[int, Any]:
        job = self.jobs.get(job_id)
        if job is None:
            return 404, _missing(job_id)
        job.polls += 1
        if job.polls <= self.polls_before_done:
            return 200, {"id": job.id, "status": "ready" if job.polls == 1 else "started"}
        return 200, {
            "id": job.id,
            "status": "completed",
            "type": "ionq.circuit.v1",
            "backend": job.body["backend"],
            "stats": {"qubits": job.body["input"]["qubits"], "circuits": 1},
            "metadata": job.body.get("metadata", {}),
            "execution_duration_ms": 7,
            "results": {"probabilities": {"url": f"/v0.4/jobs/{job.id}/results/probabilities"}},
        }


def _missing(job_id: str) -> dict[str, Any]:
    return {"error": {"type": "NotFound", "message": f"no job {job_id}"}}


def _handler(api: IonQStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, payload = api.handle(method, self.path, self.headers, self.rfile.read(length))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._reply("GET")

        def do_POST(self) -> None:
            self._reply("POST")

        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

    return Handler
