"""The webhook under stalled connections: real signed POST latency while N clients hang.

    python benchmarks/webhook_stall.py [--stalled 1000] [--posts 200] [--server-nofile 1024]
                                       [--code-root DIR]

A real ``main.py wa-server`` process on 127.0.0.1, started with the file limit an office
PC has by default (``--server-nofile``, 1024 on Debian; wa-server may raise its own soft
limit). N attacker connections each send half a request line and hang; when the server
drops one, it connects again at once, so N stay pressing for the whole run. Meanwhile
real signed Cloud API POSTs go one after another, each with a 10 s client timeout. The
run is bounded (at most 2 minutes of POSTs). ``--code-root`` runs another checkout of the
code (e.g. the unchanged code, for the "before" figure) with this interpreter.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_SECRET = "bench-app-secret"
NOW = "2026-12-01T09:00"


def sign(body: bytes) -> str:
    import hashlib
    import hmac

    return "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()


def payload(i: int) -> bytes:
    message = {"from": f"62812{i:08d}", "id": f"wamid.bench{i}", "timestamp": "1764554400", "type": "text",
               "text": {"body": "#CEK"}}
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "messages": [message],
                                       "contacts": [{"wa_id": message["from"]}]}}]}]}).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_office(code_root: Path, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTREAN_")}
    env["ANTREAN_CONFIG"] = str(folder / "config.toml")
    subprocess.run([sys.executable, "main.py", "init", "--office", "JKP", "--name", "Kantor", "--supervisor-pin",
                    "246810", "--data-dir", str(folder / "data"), "--allow-clock-override"],
                   cwd=code_root, env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    secrets = folder / "data" / "whatsapp.json"
    secrets.write_text(json.dumps({"app_secret": APP_SECRET, "verify_token": "v"}))
    secrets.chmod(0o600)
    env["ANTREAN_NOW"] = NOW
    return env


async def attacker(port: int, stop: asyncio.Event, counts: dict[str, int]) -> None:
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            counts["connect_failed"] += 1
            await asyncio.sleep(0.05)
            continue
        counts["connections"] += 1
        try:
            writer.write(b"POST /webhook HTTP/1.1\r\nHost: x\r\n")
            await writer.drain()
            done, _ = await asyncio.wait([asyncio.ensure_future(reader.read(1)), asyncio.ensure_future(stop.wait())],
                                         return_when=asyncio.FIRST_COMPLETED)
            for task in _:
                task.cancel()
        except OSError:
            pass
        finally:
            writer.close()


def one_post(port: int, i: int) -> tuple[float, int | str]:
    import http.client

    body = payload(i)
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/webhook", body=body, headers={"Content-Type": "application/json",
                                                            "X-Hub-Signature-256": sign(body)})
        status: int | str = conn.getresponse().status
        conn.close()
    except (OSError, http.client.HTTPException) as exc:
        status = type(exc).__name__
    return time.perf_counter() - start, status


async def run(port: int, stalled: int, posts: int) -> dict[str, object]:
    stop = asyncio.Event()
    counts = {"connections": 0, "connect_failed": 0}
    attackers = [asyncio.ensure_future(attacker(port, stop, counts)) for _ in range(stalled)]
    while counts["connections"] < stalled and counts["connect_failed"] < stalled * 5:
        await asyncio.sleep(0.05)
    await asyncio.sleep(2)  # let them settle in the server
    results = []
    deadline = time.monotonic() + 120
    for i in range(posts):
        if time.monotonic() > deadline:
            break
        results.append(await asyncio.to_thread(one_post, port, i))
    stop.set()
    await asyncio.gather(*attackers, return_exceptions=True)
    ok = sorted(t for t, s in results if s == 200)
    return {"posts": len(results), "ok": len(ok), "failed": len(results) - len(ok),
            "p50_ms": round(statistics.median(ok) * 1000, 1) if ok else None,
            "p99_ms": round(ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000, 1) if ok else None,
            "attacker_connections": counts["connections"], "attacker_connect_failures": counts["connect_failed"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stalled", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--server-nofile", type=int, default=1024)
    parser.add_argument("--code-root", type=Path, default=ROOT)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.stalled + 256)), hard))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = setup_office(args.code_root, folder)
        port = free_port()

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (args.server_nofile, hard))

        server = subprocess.Popen([sys.executable, "main.py", "wa-server", "--port", str(port)], cwd=args.code_root,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=limit)
        assert server.stdout is not None
        for line in server.stdout:
            if b"WhatsApp webhook on" in line:
                break
        try:
            result = asyncio.run(run(port, args.stalled, args.posts))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a server drowning in its own log may not stop
                server.kill()
                server.wait(timeout=20)
        logs = folder / "data" / "logs"
        log_text = "".join(p.read_text("utf-8", "replace") for p in logs.glob("antrean.log*")) if logs.exists() else ""
        result["log_lines_about_accept"] = sum(1 for line in log_text.splitlines()
                                               if "accept" in line.lower() or "Too many open files" in line)
        result["log_files"] = len(list(logs.glob("antrean.log*"))) if logs.exists() else 0
    result |= {"stalled": args.stalled, "server_nofile": args.server_nofile, "python": platform.python_version()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
