"""TLS to the data center: verified by default, against an intranet CA when one is
configured, refused with a clear reason otherwise."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from commandcenter.config import Config
from commandcenter.feeds.errors import Unreachable


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


@pytest.fixture(scope="module")
def intranet_ca(tmp_path_factory):
    """A CA of the bureau's intranet and the data center's certificate for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("ca")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("苏州市司法局内网 CA"))
        .issuer_name(_name("苏州市司法局内网 CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("dc.sfj.local"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return folder


@pytest.fixture
def https_datacenter(intranet_ca, city_world_factory, datacenter_factory):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(intranet_ca / "server.pem", intranet_ca / "server.key")
    server = datacenter_factory(city_world_factory(), tls=context)
    assert server.url.startswith("https://127.0.0.1:")
    return server


def test_tls_is_verified_by_default_and_an_unknown_ca_is_refused_with_the_reason(
    https_datacenter, client_factory, sk
):
    client = client_factory(https_datacenter.url, retries=0)
    with pytest.raises(Unreachable) as refused:
        client.get("/orgs", {"pageSize": 1})
    message = str(refused.value)
    assert "TLS verification" in message and "certificate" in message.lower()
    assert sk not in message
    assert Config().verify_tls is True


def test_the_intranet_ca_from_the_configuration_is_trusted(
    https_datacenter, intranet_ca, tmp_path, sk, monkeypatch
):
    from commandcenter.config import load_config
    from commandcenter.runtime import open_runtime
    from tests.conftest import AK

    (tmp_path / "config.toml").write_text(
        f'[datacenter]\nurl = "{https_datacenter.url}"\nak = "{AK}"\nca_bundle = "{intranet_ca / "ca.pem"}"\n'
        f'[store]\nurl = "sqlite:///{tmp_path / "cc.db"}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("COMMANDCENTER_SK", sk)
    runtime = open_runtime(load_config(tmp_path / "config.toml", environ={}))
    try:
        response = runtime.client.get("/orgs", {"pageSize": 1})
        assert response.data["list"]
    finally:
        runtime.close()
