"""Load test: start the real server on 127.0.0.1 and send it a mix of requests.

    python scripts/load_test.py                  # 2,000 requests, 20 in flight (make load-test)
    python scripts/load_test.py --seeds 10       # tables drawn from 10 seeds only
    python scripts/load_test.py --requests 200   # a quick look
    python scripts/load_test.py --wrk            # wrk (a C client) instead: valid requests only
    python scripts/load_test.py --in-process     # server time per table, without a network

Three in four requests ask for a 100-row JSON table; the rest are invalid (422 expected) or not
dataset requests (400 expected). Any other status, or a connection error, fails the run.

--wrk runs wrk (Debian: apt-get install wrk) for --duration seconds with --in-flight
connections on one thread: valid 100-row JSON requests over the six prompts of VALID, each with
a new seed; it prints requests/s, p50/p95/p99 latency and the server's CPU time per request.
--in-process calls the ASGI app directly (no sockets, no client): the time of a whole
request, body bytes in to response bytes out, and of the table alone (generate + JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

VALID = ["generate a hospital dataset", "hotel bookings for a demo", "a list of bank accounts",
         "songs with artists and albums", "support tickets with priority", "used cars for sale"]
INVALID = [{"prompt": ""}, {"prompt": "a bank table", "rows": 0},
           {"prompt": "a bank table", "locale": "xx_XX"}]
NOT_A_REQUEST = ["tell me a joke", "what is the capital of france", "good morning"]


def request_mix(
    n: int, seeds: int = 0, seed: int = 0, distinct_prompts: bool = False
) -> list[tuple[dict, int]]:
    """(payload, expected status) for n requests: 75% valid, 15% invalid, 10% not a request.
    Valid requests cycle through `seeds` table seeds, or (seeds=0) each has its own, as a
    client that wants a fresh table every time would send. The server remembers the columns
    of prompts it has seen; with distinct_prompts every valid prompt is new to it, so each
    one costs a forward pass."""
    rng = random.Random(seed)
    mix = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.75:
            table_seed = i % seeds if seeds else 1_000 + i
            prompt = rng.choice(VALID) + (f" (request {i})" if distinct_prompts else "")
            mix.append(({"prompt": prompt, "rows": 100, "seed": table_seed}, 200))
        elif roll < 0.90:
            mix.append((rng.choice(INVALID), 422))
        else:
            mix.append(({"prompt": rng.choice(NOT_A_REQUEST)}, 400))
    return mix


async def post_json(reader, writer, host: str, payload: dict) -> tuple[int, bytes]:
    """One POST /generate on an open keep-alive connection: (status, body)."""
    body = json.dumps(payload).encode()
    writer.write(f"POST /generate HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    return status, await reader.readexactly(length)


async def run(base: str, mix: list[tuple[dict, int]], in_flight: int) -> list[tuple]:
    """`in_flight` connections, each sending its share of the mix one request after another.
    A small hand-written HTTP/1.1 client: a full client library (httpx) costs more CPU per
    request than the server does, and on a 2-core machine it would measure itself."""
    host, port = base.removeprefix("http://").split(":")
    queue = list(enumerate(mix))
    results: list[tuple] = [None] * len(mix)

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while queue:
                k, (payload, expected) = queue.pop(0)
                start = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(post_json(reader, writer, host, payload), 60)
                except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
                    status = type(e).__name__
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                results[k] = (expected, status, time.perf_counter() - start)
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(in_flight)))
    return results


def start_server(port: int, workers: int, http: str = "auto") -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "helpers.api:app", "--host",
                               "127.0.0.1", "--port", str(port), "--workers", str(workers),
                               "--log-level", "warning", "--http", http])
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start within 60 s")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WRK_SCRIPT = """
local prompts = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"prompt": "%%s", "rows": 100, "seed": %%d}',
                             prompts[counter %% #prompts + 1], 1000 + counter)
  return wrk.format("POST", "/generate", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
           latency:percentile(50), latency:percentile(95), latency:percentile(99),
           e.status, e.connect + e.read + e.write, e.timeout))
end
"""


def wrk_figures(port: int, pid: int, connections: int = 20, duration: int = 15) -> dict:
    """wrk against the server on `port` (process `pid`): valid 100-row tables, a new seed
    each. Returns requests, requests_per_s, p50/p95/p99_ms, cpu_ms (the server's CPU time
    per request; None off Linux) and errors (non-2xx, socket errors and timeouts)."""
    prompts = ", ".join(json.dumps(p) for p in VALID)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % prompts)
    base = f"http://127.0.0.1:{port}"
    try:  # a short warm-up, then the measured run
        subprocess.run(["wrk", "-t1", "-c4", "-d2s", "-s", script.name, base],
                       capture_output=True, check=True)
        cpu_before = cpu_seconds(pid)
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
                              "-s", script.name, base], capture_output=True, text=True,
                             check=True).stdout
        cpu_after = cpu_seconds(pid)
    finally:
        os.unlink(script.name)
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if not found or not rate:
        print(out)
        raise SystemExit("could not read wrk's output")
    n, p50, p95, p99, bad_status, socket_errors, timeouts = map(int, found.groups())
    cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / n
    return {"requests": n, "requests_per_s": float(rate[1]), "p50_ms": p50 / 1000,
            "p95_ms": p95 / 1000, "p99_ms": p99 / 1000,
            "cpu_ms": None if cpu is None else cpu * 1000, "non_2xx": bad_status,
            "errors": bad_status + socket_errors + timeouts, "socket_errors": socket_errors,
            "timeouts": timeouts}


def run_wrk(port: int, pid: int, connections: int, duration: int) -> int:
    """wrk against the server, its figures printed; 1 if any request failed."""
    f = wrk_figures(port, pid, connections, duration)
    print(f"wrk: {connections} connections, 1 thread, {duration} s, valid 100-row JSON "
          f"tables, a new seed each: {f['requests']:,} requests, "
          f"{f['requests_per_s']:.0f} requests/s")
    print(f"latency: p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, "
          f"p99 {f['p99_ms']:.1f} ms")
    if f["cpu_ms"] is not None:
        print(f"server CPU per request: {f['cpu_ms']:.2f} ms")
    print(f"non-2xx: {f['non_2xx']}, socket errors: {f['socket_errors']}, "
          f"timeouts: {f['timeouts']}")
    return 1 if f["errors"] else 0


def in_process(requests: int) -> int:
    """Median and p95 of a whole request through the ASGI app, and of the table alone."""
    import warnings

    warnings.simplefilter("ignore")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from helpers import api
    from helpers.pipeline import read_request

    async def call(body: bytes) -> int:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/generate", "raw_path":
                 b"/generate", "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 80), "headers": [
                     (b"content-type", b"application/json"),
                     (b"content-length", str(len(body)).encode())]}
        sent, status = False, 0

        async def receive() -> dict:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict) -> None:
            nonlocal status
            status = message.get("status", status)

        await api.app(scope, receive, send)
        return status

    async def measure() -> tuple[list[float], list[float]]:
        async with api.lifespan(api.app):
            for prompt in VALID:  # read once: the server remembers a prompt's columns
                await call(json.dumps({"prompt": prompt}).encode())
            whole, table = [], []
            for i in range(requests):
                prompt = VALID[i % len(VALID)]
                body = json.dumps({"prompt": prompt, "rows": 100, "seed": 1000 + i}).encode()
                start = time.perf_counter()
                if await call(body) != 200:
                    raise SystemExit(f"request {i} did not answer 200")
                whole.append(time.perf_counter() - start)
                reading = read_request(prompt)
                start = time.perf_counter()
                made = api.table_columns(reading.columns, 100, 1000 + i, "en_US",
                                         table=reading.table)
                api.records_text(made, reading.columns)  # the JSON text the server sends
                table.append(time.perf_counter() - start)
            return whole, table

    whole, table = asyncio.run(measure())
    for name, times in (("whole request (ASGI app, in process)", whole),
                        ("the table alone (its columns + records_text)", table)):
        times = sorted(times)
        print(f"{name}: median {statistics.median(times) * 1000:.2f} ms, "
              f"p95 {times[int(0.95 * len(times))] * 1000:.2f} ms over {len(times):,} "
              "100-row tables")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--seeds", type=int, default=0,
                        help="distinct table seeds in the mix (default 0: one per request)")
    parser.add_argument("--distinct-prompts", action="store_true",
                        help="make every valid prompt new to the server (no remembered columns)")
    parser.add_argument("--wrk", action="store_true", help="measure with wrk instead")
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk (default 15)")
    parser.add_argument("--http", default="auto", choices=("auto", "h11", "httptools"),
                        help="uvicorn's HTTP parser (auto: httptools when installed)")
    parser.add_argument("--in-process", action="store_true",
                        help="time requests through the ASGI app, without a server")
    args = parser.parse_args()
    if args.in_process:
        return in_process(args.requests)
    if args.wrk and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = start_server(port, args.workers, args.http)
    if args.wrk:
        try:
            return run_wrk(port, server.pid, args.in_flight, args.duration)
        finally:
            server.terminate()
            server.wait(timeout=10)
    try:
        mix = request_mix(args.requests, args.seeds, distinct_prompts=args.distinct_prompts)
        cpu_before, start = cpu_seconds(server.pid), time.perf_counter()
        client_before = time.process_time()
        results = asyncio.run(run(f"http://127.0.0.1:{port}", mix, args.in_flight))
        wall = time.perf_counter() - start
        cpu_after = cpu_seconds(server.pid)
        client_cpu = time.process_time() - client_before
    finally:
        server.terminate()
        server.wait(timeout=10)
    wrong = [(e, s) for e, s, _ in results if e != s]
    tables = sorted(t for e, s, t in results if e == s == 200)
    def pct(q: float) -> float:
        return tables[min(len(tables) - 1, int(q * len(tables)))] * 1000
    print(f"{len(results):,} requests, {args.in_flight} in flight, {args.workers} worker(s), "
          f"{f'{args.seeds} table seeds' if args.seeds else 'a new table seed per request'}"
          f"{', every prompt new' if args.distinct_prompts else ''}: "
          f"{wall:.1f} s, {len(results) / wall:.0f} requests/s")
    print(f"100-row JSON tables ({len(tables)}): p50 {pct(0.50):.0f} ms, p95 {pct(0.95):.0f} ms, "
          f"p99 {pct(0.99):.0f} ms, mean {statistics.mean(tables) * 1000:.0f} ms")
    if cpu_before is not None and cpu_after is not None and args.workers == 1:
        print(f"CPU per request: server {(cpu_after - cpu_before) / len(results) * 1000:.1f} ms, "
              f"this client {client_cpu / len(results) * 1000:.1f} ms")
    print(f"unexpected statuses: {len(wrong)}" + (f" e.g. {wrong[:5]}" if wrong else ""))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
