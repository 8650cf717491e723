"""The documented recipe, run for real: nginx (from Debian's packages) with TLS in front
of a ``wa-server`` process, all on 127.0.0.1, and a signed Cloud API payload through it."""

from __future__ import annotations

import http.client
import json
import shutil
import ssl
import subprocess
import time

import pytest

from kiosk.booking.webhook import sign
from tests.booking.test_webhook import payload, text_message
from tests.booking.waserver import APP_SECRET, free_port, office, start_wa_server
from tests.test_cli import ROOT

RECIPE = ROOT / "deploy" / "nginx" / "antrean-webhook.conf"


@pytest.fixture
def nginx(tmp_path):
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        pytest.fail("nginx and openssl are needed (scripts/_setup.sh installs them)")
    cert, key = tmp_path / "webhook.crt", tmp_path / "webhook.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return tmp_path, cert, key


def test_a_signed_payload_through_nginx_tls_is_booked(nginx):
    tmp_path, cert, key = nginx
    cli = office(tmp_path / "office")
    upstream, public = free_port(), free_port()
    # GIVEN the recipe with this test's name, certificate, ports and folders
    site = RECIPE.read_text()
    for example, real in (("listen 443 ssl;", f"listen 127.0.0.1:{public} ssl;"),
                          ("webhook.kantor-imigrasi.example", "localhost"),
                          ("/etc/ssl/antrean/webhook.crt", str(cert)), ("/etc/ssl/antrean/webhook.key", str(key)),
                          ("127.0.0.1:8088", f"127.0.0.1:{upstream}")):
        assert example in site
        site = site.replace(example, real)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "temp").mkdir()
    (tmp_path / "nginx.conf").write_text(f"""
error_log {tmp_path}/error.log warn;
pid {tmp_path}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {tmp_path}/temp/body;
    proxy_temp_path {tmp_path}/temp/proxy;
    fastcgi_temp_path {tmp_path}/temp/fastcgi;
    uwsgi_temp_path {tmp_path}/temp/uwsgi;
    scgi_temp_path {tmp_path}/temp/scgi;
    include {tmp_path}/site.conf;
}}
""")
    server = start_wa_server(cli, upstream, now="2026-12-01T09:00")
    proxy = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        context = ssl.create_default_context(cafile=str(cert))
        body = json.dumps(payload(text_message("wamid.TLS1", "#Budi#25011987#02122026"))).encode()
        # WHEN Meta's POST arrives over HTTPS (nginx may still be starting: the first
        # attempts can be refused)
        for attempt in range(100):
            try:
                conn = http.client.HTTPSConnection("127.0.0.1", public, context=context, timeout=30)
                conn.request("POST", "/webhook", body=body, headers={
                    "Content-Type": "application/json", "X-Hub-Signature-256": sign(body, APP_SECRET)})
                response = conn.getresponse()
                status, text = response.status, response.read().decode()
                conn.close()
                break
            except ConnectionRefusedError:
                assert proxy.poll() is None, proxy.stdout.read().decode() if proxy.stdout else ""
                time.sleep(0.1)  # retry: nginx binds its port a moment after it starts
        else:
            raise AssertionError("nginx never listened")
        # THEN wa-server booked it and answered through the proxy
        assert status == 200, text
        assert json.loads(text) == {"handled": 1, "outcomes": ["booked"]}
        # AND a path other than the webhook, or a forged signature, gets nowhere
        conn = http.client.HTTPSConnection("127.0.0.1", public, context=context, timeout=30)
        conn.request("GET", "/")
        assert conn.getresponse().status == 404
        conn.close()
        conn = http.client.HTTPSConnection("127.0.0.1", public, context=context, timeout=30)
        conn.request("POST", "/webhook", body=body, headers={"X-Hub-Signature-256": "sha256=" + "0" * 64})
        assert conn.getresponse().status == 401
        conn.close()
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        server.stop()
