"""`make bench`: reply latency and throughput under concurrent simulated patients.

Three runs through the REST channel, each N concurrent senders for T seconds:
  floor  the stock Rasa assistant (`rasa init`), one server: the best Rasa gives on this machine
  ours-1 this bot, production layout with 1 Rasa replica + 1 action server behind nginx
  ours-2 the same with 2 replicas (2N senders, to show the added throughput)
Prints p50 / p95 / p99 latency, messages per second, errors, and the ratios.

    .venv/bin/python scripts/bench.py [--concurrency 8] [--seconds 60]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bot_process import answers, free_port  # noqa: E402
from scripts.prod_stack import ProdStack  # noqa: E402

RASA = str(ROOT / ".venv" / "bin" / "rasa")
STOCK_SCRIPT = ["hello", "I am feeling very sad", "yes", "great, thanks", "bye"]
PATIENT_SCRIPT = ["hello, my left side dropped 3 weeks ago", "yes I agree", "no, none of those", "a little",
                  "suddenly", "about the same", "no", "bell's palsy", "steroids", "not all the way",
                  "dry and gritty", "no", "a little", "food gets stuck in my cheek", "no", "a bit of ear pain",
                  "smile again", "Ada Testperson", "1 February 1990", "010 0000 4321", "none", "yes"]


def post(url: str, sender: str, text: str) -> tuple[float, bool]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(url + "/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            ok = resp.status == 200 and bool(json.loads(resp.read() or b"[]"))
    except Exception:
        ok = False
    return (time.perf_counter() - start) * 1000, ok


def load(url: str, script: list[str], concurrency: int, seconds: float) -> dict:
    """`concurrency` senders, each going through `script` again and again, for `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(_: int) -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            for text in script:
                if time.monotonic() >= stop_at:
                    return
                ms, ok = post(url, sender, text)
                with lock:
                    latencies.append(ms)
                    errors += not ok

    started = time.monotonic()
    with cf.ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(user, range(concurrency)))
    wall = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
    return {"messages": len(latencies), "errors": errors, "per_second": len(latencies) / wall,
            "p50": statistics.median(latencies) if latencies else float("nan"), "p95": pick(0.95), "p99": pick(0.99)}


def warm(url: str, script: list[str]) -> None:
    sender = f"warm-{uuid.uuid4().hex[:8]}"
    for text in script[:4]:
        post(url, sender, text)


def stock_floor(folder: Path, concurrency: int, seconds: float) -> dict:
    folder.mkdir(parents=True, exist_ok=True)       # rasa init wants the folder to exist
    subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(folder)], cwd=folder.parent, check=True,
                   capture_output=True)
    port = free_port()
    proc = subprocess.Popen([RASA, "run", "--model", str(folder / "models"), "--port", str(port),
                             "--interface", "127.0.0.1"], cwd=folder, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if answers(url):
                break
            time.sleep(1)
        else:
            raise RuntimeError("the stock assistant did not start")
        warm(url, STOCK_SCRIPT)
        return load(url, STOCK_SCRIPT, concurrency, seconds)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait()


def ours(folder: Path, replicas: int, concurrency: int, seconds: float) -> dict:
    stack = ProdStack(folder, replicas=replicas)
    stack.start()
    try:
        warm(stack.rasa_url, PATIENT_SCRIPT)
        return load(stack.rasa_url, PATIENT_SCRIPT, concurrency, seconds)
    finally:
        stack.stop()


def row(name: str, r: dict, concurrency: int) -> str:
    return (f"| {name} | {concurrency} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['per_second']:.1f} | "
            f"{r['per_second'] / (os.cpu_count() or 1):.1f} | {r['errors']} of {r['messages']} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", 8)))
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 60)))
    args = ap.parse_args()
    n, t = args.concurrency, args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"floor: the stock Rasa assistant, {n} senders, {t:.0f} s ...", flush=True)
        floor = stock_floor(tmp / "stock", n, t)
        print(f"ours, 1 replica, {n} senders ...", flush=True)
        one = ours(tmp / "one", 1, n, t)
        print(f"ours, 1 replica, {2 * n} senders ...", flush=True)
        one_2n = ours(tmp / "one2n", 1, 2 * n, t)
        print(f"ours, 2 replicas, {2 * n} senders ...", flush=True)
        two = ours(tmp / "two", 2, 2 * n, t)
    print()
    print(f"{os.cpu_count()} cores, {t:.0f} s per run, REST channel, latency in ms")
    print("| run | senders | p50 | p95 | p99 | messages/s | messages/s per core | errors |")
    print("|---|---|---|---|---|---|---|---|")
    print(row("floor: stock Rasa assistant", floor, n))
    print(row("ours, 1 replica", one, n))
    print(row("ours, 1 replica", one_2n, 2 * n))
    print(row("ours, 2 replicas", two, 2 * n))
    print()
    print(f"p95 ours (1 replica) / floor at {n} senders: {one['p95'] / floor['p95']:.2f} (target at most 1.3)")
    print(f"throughput 2 replicas / 1 replica at {2 * n} senders: {two['per_second'] / one_2n['per_second']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
