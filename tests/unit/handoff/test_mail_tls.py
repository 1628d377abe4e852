"""Notification mail over TLS to a real local SMTP server (aiosmtpd) with a certificate made here."""

import dataclasses
import ipaddress
import ssl
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.handoff import notifications
from bot.settings import SmtpSettings, read_settings
from tests.unit.handoff.test_notifications import Inbox, organisation, stored_with_targets
from tools.cluster import free_port

USER, PASSWORD = "wegwijs", "smtp-password-for-tests"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: trusted only by a test that names it as its CA file."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Wegwijs test mail server")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


class Logins:
    """The server's password check; records which logins it saw and whether they came over TLS."""

    def __init__(self) -> None:
        self.seen = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.seen.append(
            (auth_data.login.decode(), server.transport.get_extra_info("sslcontext") is not None)
        )
        return AuthResult(success=(auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD))


def _server(certificate, implicit: bool):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    inbox, logins = Inbox(), Logins()
    # aiosmtpd's auth_require_tls only knows STARTTLS; with implicit TLS the whole connection is TLS.
    tls = (
        {"ssl_context": context, "auth_require_tls": False}
        if implicit
        else {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    )
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), authenticator=logins, auth_required=True, **tls
    )
    controller.start()
    return controller, inbox, logins


@pytest.fixture(params=["starttls", "implicit"])
def tls_server(request, certificate):
    controller, inbox, logins = _server(certificate, implicit=request.param == "implicit")
    yield request.param, controller, inbox, logins
    controller.stop()


def settings_for(controller, tls: str, ca_file: str = ""):
    smtp = SmtpSettings(
        host="127.0.0.1",
        port=controller.port,
        sender="wegwijs@voorbeeldstad.example",
        username=USER,
        password=PASSWORD,
        tls=tls,
        ca_file=ca_file,
    )
    return dataclasses.replace(read_settings(), smtp=smtp)


def test_mail_is_delivered_over_tls_to_a_trusted_certificate(store, tls_server, certificate, municipality):
    tls, controller, inbox, logins = tls_server
    org = organisation(municipality)
    handoff = stored_with_targets(store, org)
    assert notifications.deliver_due(store, settings_for(controller, tls, str(certificate[0])), [org]) == 1
    [raw] = inbox.messages
    assert handoff.reference.encode() in raw
    assert logins.seen == [(USER, True)]  # the password went over TLS only


def test_an_untrusted_certificate_gets_nothing_not_even_the_password(store, tls_server, municipality):
    tls, controller, inbox, logins = tls_server
    org = organisation(municipality)
    stored_with_targets(store, org)
    # The system's store does not know this certificate.
    assert notifications.deliver_due(store, settings_for(controller, tls), [org]) == 0
    [problem] = notifications.problems(store)
    assert "CERTIFICATE_VERIFY_FAILED" in problem.last_error
    assert inbox.messages == [] and logins.seen == []


def test_a_server_without_starttls_gets_nothing_in_the_clear(store, municipality):
    plain_inbox = Inbox()
    controller = Controller(plain_inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        org = organisation(municipality)
        stored_with_targets(store, org)
        assert notifications.deliver_due(store, settings_for(controller, "starttls"), [org]) == 0
        [problem] = notifications.problems(store)
        assert "STARTTLS" in problem.last_error and plain_inbox.messages == []
    finally:
        controller.stop()


@pytest.mark.parametrize(
    "environment, problem",
    [
        ({"WEGWIJS_SMTP_TLS": "none", "WEGWIJS_SMTP_HOST": "smtp.gemeente.example"}, "only for a mail relay"),
        ({"WEGWIJS_SMTP_TLS": "none", "WEGWIJS_SMTP_USERNAME": "wegwijs"}, "only for a mail relay"),
        ({"WEGWIJS_SMTP_TLS": "sometimes"}, "must be one of"),
        ({"WEGWIJS_SMTP_CA_FILE": "/nowhere/ca.pem"}, "no file"),
    ],
)
def test_settings_refuse_mail_or_a_password_in_the_clear(monkeypatch, environment, problem):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=problem):
        read_settings()
