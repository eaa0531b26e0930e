"""A self-signed TLS certificate for a test host name, made with the openssl command; shared by the
URL-fetching and webhook tests. Skips the calling test where openssl is missing."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest


def self_signed(folder: Path, host: str) -> tuple[Path, ssl.SSLContext]:
    """(certificate file for clients to trust, server-side context serving it) for `host`."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    make_cert = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
    make_cert += f" -subj /CN={host} -addext subjectAltName=DNS:{host}"
    subprocess.run([*make_cert.split(), "-keyout", key, "-out", cert], check=True, capture_output=True)
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    return cert, server_side
