"""A private OpenLDAP server for the tests: Debian's slapd with a slapd.conf and an mdb
database in a temporary folder, listening on 127.0.0.1 only (ldap:// with StartTLS and
ldaps://, on free ports) with a certificate from a CA made for the run; stopped
afterwards. ./dev.sh test installs the Debian packages `slapd` and `ldap-utils`.

The bureau's tree: ou=people (inetOrgPerson entries with a county in departmentNumber
and the roster's id in employeeNumber) and ou=groups (groupOfNames, whose members the
memberof overlay also lists in each person's memberOf)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
LDAPADD = shutil.which("ldapadd") or "/usr/bin/ldapadd"
SCHEMAS = ("core", "cosine", "nis", "inetorgperson")
SUFFIX = "dc=bureau,dc=example"
ADMIN_DN = f"cn=admin,{SUFFIX}"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
USER_DN = f"uid={{user}},{PEOPLE}"


class LdapUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Account:
    """A person of the test directory."""

    uid: str
    password: str
    cn: str
    display_name: str | None = None
    county: str | None = None
    employee_number: str | None = None
    groups: tuple[str, ...] = ()


ACCOUNTS = (
    Account(
        "wangmin",
        "Wm-pass-2026",
        "王敏",
        "王敏 (值班)",
        "320506",
        "P-1001",
        ("cc-duty-officers", "cc-supervisors"),
    ),
    Account("lina", "Ln-pass-2026", "李娜", None, "320500", "P-1002", ("cc-conference",)),
    Account("zhouyan", "Zy-pass-2026", "周燕", None, None, "P-1005", ("cc-duty-officers",)),
    Account("zhaolei", "Zl-pass-2026", "赵磊", None, "320505", "P-1003", ("other-staff",)),
    Account("qianfeng", "Qf-pass-2026", "钱峰", None, "999999", "P-1004", ("cc-duty-officers",)),
    Account("sunli", "Sl-pass-2026", "孙丽", None, "320507", None, ("cc-supervisors",)),
)
GROUP_NAMES = ("cc-duty-officers", "cc-supervisors", "cc-conference", "other-staff")


def ssha(password: str) -> str:
    """An {SSHA} userPassword value, as slappasswd makes it."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode("utf-8") + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode("ascii")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Certificates:
    """A CA of the run's own and the server's certificate (localhost, 127.0.0.1) it
    signed, as PEM files; and a second CA that signed nothing here."""

    ca: Path
    cert: Path
    key: Path
    other_ca: Path


def make_certificates(folder: Path) -> Certificates:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def ca(common_name: str):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(common_name))
            .issuer_name(name(common_name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        return key, cert

    ca_key, ca_cert = ca("commandcenter test directory CA")
    _, other_cert = ca("some other CA")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    files = Certificates(
        folder / "ca.pem", folder / "server.pem", folder / "server.key", folder / "other-ca.pem"
    )
    files.ca.write_bytes(ca_cert.public_bytes(pem))
    files.other_ca.write_bytes(other_cert.public_bytes(pem))
    files.cert.write_bytes(cert.public_bytes(pem))
    files.key.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    os.chmod(files.key, 0o600)
    return files


def _ldif(entries: list[dict[str, list[str] | str]]) -> str:
    lines = []
    for entry in entries:
        for attribute, value in entry.items():
            for item in value if isinstance(value, list) else [value]:
                if item.isascii() and not item.startswith((" ", ":", "<")):
                    lines.append(f"{attribute}: {item}")
                else:
                    encoded = base64.b64encode(item.encode("utf-8")).decode("ascii")
                    lines.append(f"{attribute}:: {encoded}")
        lines.append("")
    return "\n".join(lines) + "\n"


@dataclass
class LdapServer:
    root: Path
    ldap_port: int = field(default_factory=free_port)
    ldaps_port: int = field(default_factory=free_port)
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    process: subprocess.Popen | None = None
    certificates: Certificates | None = None

    @property
    def ldap_url(self) -> str:
        return f"ldap://127.0.0.1:{self.ldap_port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.ldaps_port}"

    def start(self) -> LdapServer:
        for program in (SLAPD, SLAPADD):
            if not program.exists():
                raise LdapUnavailable(
                    f"{program} was not found: install the Debian packages slapd and ldap-utils "
                    "(./dev.sh test does)"
                )
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "db").mkdir()
        self.certificates = make_certificates(self.root)
        conf = self.root / "slapd.conf"
        conf.write_text(self._config(), encoding="utf-8")
        people = self.root / "people.ldif"
        people.write_text(_ldif(self._people()), encoding="utf-8")
        self._run(str(SLAPADD), "-q", "-f", str(conf), "-l", str(people))
        log = (self.root / "slapd.log").open("wb")
        urls = f"ldap://127.0.0.1:{self.ldap_port}/ ldaps://127.0.0.1:{self.ldaps_port}/"
        # -d 0: in the foreground (a child of the tests, stopped with them), quiet
        self.process = subprocess.Popen(
            [str(SLAPD), "-f", str(conf), "-h", urls, "-d", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_for(self.ldap_port)
        self._wait_for(self.ldaps_port)
        # the groups online, so that the memberof overlay writes each person's memberOf
        groups = self.root / "groups.ldif"
        groups.write_text(_ldif(self._groups()), encoding="utf-8")
        self._run(
            LDAPADD,
            "-x",
            "-H",
            self.ldap_url,
            "-D",
            ADMIN_DN,
            "-w",
            self.admin_password,
            "-f",
            str(groups),
        )
        return self

    def _run(self, *command: str) -> None:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise LdapUnavailable(
                f"{Path(command[0]).name} failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}"
            )

    def _wait_for(self, port: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise LdapUnavailable(f"slapd exited: {self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.02)
        raise LdapUnavailable(f"slapd did not listen on {port} in {timeout:g} s: {self.log_tail()}")

    def log_tail(self) -> str:
        log = self.root / "slapd.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def _config(self) -> str:
        c = self.certificates
        assert c is not None
        includes = "\n".join(f"include /etc/ldap/schema/{s}.schema" for s in SCHEMAS)
        return f"""{includes}
pidfile {self.root}/slapd.pid
argsfile {self.root}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
TLSCACertificateFile {c.ca}
TLSCertificateFile {c.cert}
TLSCertificateKeyFile {c.key}

database mdb
maxsize 67108864
suffix "{SUFFIX}"
rootdn "{ADMIN_DN}"
rootpw {ssha(self.admin_password)}
directory {self.root}/db
overlay memberof
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by anonymous auth
"""

    def _people(self) -> list[dict]:
        entries: list[dict] = [
            {
                "dn": SUFFIX,
                "objectClass": ["top", "dcObject", "organization"],
                "dc": "bureau",
                "o": "Justice bureau",
            },
            {"dn": PEOPLE, "objectClass": "organizationalUnit", "ou": "people"},
            {"dn": GROUPS, "objectClass": "organizationalUnit", "ou": "groups"},
        ]
        for a in ACCOUNTS:
            entry: dict = {
                "dn": f"uid={a.uid},{PEOPLE}",
                "objectClass": ["top", "person", "organizationalPerson", "inetOrgPerson"],
                "uid": a.uid,
                "cn": a.cn,
                "sn": a.cn[:1],
                "userPassword": ssha(a.password),
            }
            if a.display_name:
                entry["displayName"] = a.display_name
            if a.county:
                entry["departmentNumber"] = a.county
            if a.employee_number:
                entry["employeeNumber"] = a.employee_number
            entries.append(entry)
        return entries

    def _groups(self) -> list[dict]:
        return [
            {
                "dn": f"cn={g},{GROUPS}",
                "objectClass": "groupOfNames",
                "cn": g,
                "member": [f"uid={a.uid},{PEOPLE}" for a in ACCOUNTS if g in a.groups],
            }
            for g in GROUP_NAMES
        ]

    def account(self, uid: str) -> Account:
        return next(a for a in ACCOUNTS if a.uid == uid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
