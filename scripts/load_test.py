"""Load test: start the real server on 127.0.0.1 and send it a mix of requests.

    python scripts/load_test.py                  # 2,000 requests, 50 in flight (make load-test)
    python scripts/load_test.py --requests 200   # a quick look

Three in four requests ask for a 100-row JSON table; the rest are invalid (422 expected) or not
dataset requests (400 expected). Any other status, or a connection error, fails the run.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import time

import httpx

VALID = ["generate a hospital dataset", "hotel bookings for a demo", "a list of bank accounts",
         "songs with artists and albums", "support tickets with priority", "used cars for sale"]
INVALID = [{"prompt": ""}, {"prompt": "a bank table", "rows": 0},
           {"prompt": "a bank table", "locale": "xx_XX"}]
NOT_A_REQUEST = ["tell me a joke", "what is the capital of france", "good morning"]


def request_mix(n: int, seeds: int = 10, seed: int = 0) -> list[tuple[dict, int]]:
    """(payload, expected status) for n requests: 75% valid, 15% invalid, 10% not a request.
    Valid requests use `seeds` different table seeds: each new (seed, locale) costs the server
    about 0.7 s of Faker calls to fill its value pools, which then serve every later table."""
    rng = random.Random(seed)
    mix = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.75:
            mix.append(({"prompt": rng.choice(VALID), "rows": 100, "seed": i % seeds}, 200))
        elif roll < 0.90:
            mix.append((rng.choice(INVALID), 422))
        else:
            mix.append(({"prompt": rng.choice(NOT_A_REQUEST)}, 400))
    return mix


async def run(base: str, mix: list[tuple[dict, int]], in_flight: int) -> list[tuple]:
    limit = asyncio.Semaphore(in_flight)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def one(payload: dict, expected: int) -> tuple:
            async with limit:
                start = time.perf_counter()
                try:
                    r = await client.post("/generate", json=payload)
                    status = r.status_code
                except httpx.HTTPError as e:
                    status = type(e).__name__
                return expected, status, time.perf_counter() - start
        return await asyncio.gather(*(one(p, e) for p, e in mix))


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "helpers.api:app", "--host",
                               "127.0.0.1", "--port", str(port), "--workers", str(workers),
                               "--log-level", "warning"])
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--seeds", type=int, default=10, help="distinct table seeds in the mix")
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = start_server(port, args.workers)
    try:
        mix = request_mix(args.requests, args.seeds)
        start = time.perf_counter()
        results = asyncio.run(run(f"http://127.0.0.1:{port}", mix, args.in_flight))
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    wrong = [(e, s) for e, s, _ in results if e != s]
    tables = sorted(t for e, s, t in results if e == s == 200)
    def pct(q: float) -> float:
        return tables[min(len(tables) - 1, int(q * len(tables)))] * 1000
    print(f"{len(results):,} requests, {args.in_flight} in flight, {args.workers} worker(s), "
          f"{args.seeds} table seeds: "
          f"{wall:.1f} s, {len(results) / wall:.0f} requests/s")
    print(f"100-row JSON tables ({len(tables)}): p50 {pct(0.50):.0f} ms, p95 {pct(0.95):.0f} ms, "
          f"p99 {pct(0.99):.0f} ms, mean {statistics.mean(tables) * 1000:.0f} ms")
    print(f"unexpected statuses: {len(wrong)}" + (f" e.g. {wrong[:5]}" if wrong else ""))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
