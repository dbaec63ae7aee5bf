"""Transport security: an HTTPS round trip with a federation's own CA, plain http refused
except to loopback, security headers, no server banner and no public /docs."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlmodel import Session

from app.contract.errors import NetworkError, SyncError
from app.store.store import Store
from app.sync.client import SyncClient
from app.sync.transport import Transport, check_server_url
from server import crud
from server.core.config import Settings
from server.embedded import start_in_thread
from server.models import UserCreate


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca_and_server_cert(folder):
    """A self-signed CA (a federation's own) and a certificate it issues for 127.0.0.1."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("残联测试根证书"))
        .issuer_name(_name("残联测试根证书"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {name: folder / f"{name}.pem" for name in ("ca", "cert", "key")}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return paths


@pytest.fixture
def https_server(tmp_path):
    pem = make_ca_and_server_cert(tmp_path)
    server = start_in_thread(
        Settings(data_dir=tmp_path / "server", log_json=False),
        ssl_certfile=str(pem["cert"]),
        ssl_keyfile=str(pem["key"]),
    )
    with Session(server.app.state.engine) as s:
        crud.create_user(
            session=s, user_create=UserCreate(username="alice", password="secret123", regions=["330802"])
        )
    yield server, pem
    server.stop()


def test_https_round_trip_with_the_federations_own_ca(https_server, tmp_path):
    server, pem = https_server
    assert server.url.startswith("https://")
    client = SyncClient(
        Store(tmp_path / "laptop"), server.url, transport=Transport(server.url, ca_bundle=pem["ca"])
    )
    client.login("alice", "secret123", device_name="笔记本")
    assert client.sync().rejected == 0
    # Closed, its kept-alive connection does not hold the server's shutdown for the 10 s stop() waits.
    client.transport.close()
    client.store.close()
    # Without the federation's CA the certificate is not trusted: no connection.
    untrusting = Transport(server.url, retries=0)
    with pytest.raises(NetworkError):
        untrusting.request("GET", "/health")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://hv.example.gov.cn", True),
        ("http://127.0.0.1:8765/", True),
        ("http://localhost:8765", True),
        ("http://[::1]:8765", True),
        ("http://192.168.1.5:8765", False),
        ("http://hv.example.gov.cn", False),
        ("ftp://hv.example.gov.cn", False),
    ],
)
def test_plain_http_only_to_loopback(url, ok):
    if ok:
        assert check_server_url(url) == url.rstrip("/")
    else:
        with pytest.raises(SyncError) as caught:
            check_server_url(url)
        assert caught.value.code == "insecure_url" and "https://" in caught.value.message


def test_security_headers_no_banner_no_docs(live_server):
    r = requests.get(f"{live_server.url}/api/v1/health")
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Cache-Control"] == "no-store"
    assert "server" not in {k.lower() for k in r.headers}
    assert requests.get(f"{live_server.url}/docs").status_code == 404
    assert requests.get(f"{live_server.url}/openapi.json").status_code == 200
