"""The bureau's LDAP directory as a sign-in back end: the person binds as themselves
(a simple bind with their own DN and password, over TLS), then their entry gives their
name, county and roster id, and their groups the roles they may take.

Whatever the directory returns is untrusted text: the user name is escaped before it
goes into a DN or a filter, and a county the city does not have is refused.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import ssl
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from commandcenter.config import Config, ConfigError, directory_problem
from commandcenter.domain.geography import CITY_CODE, COUNTY_BY_CODE
from commandcenter.domain.people import Person, SignInRefused
from commandcenter.domain.roles import ROLES

# ldap3 2.9.1 (the newest) uses pyasn1's old names (typeMap) and ssl.match_hostname, which
# their makers now warn of at every import and TLS handshake: not ours to mend, and not
# for a duty officer to read in the log. Only warnings raised from ldap3's own modules.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ldap3(\.|$)")

import ldap3  # noqa: E402 - after its warnings are filtered
from ldap3.core import exceptions as ldap_errors  # noqa: E402
from ldap3.utils.conv import escape_filter_chars  # noqa: E402
from ldap3.utils.dn import escape_rdn, parse_dn  # noqa: E402

log = logging.getLogger(__name__)

ENV_LDAP_PASSWORD = "COMMANDCENTER_LDAP_PASSWORD"
WRONG_CREDENTIALS = "wrong user name or password"
NO_ROLE = "no command-center role for this account"
# LDAP result codes (RFC 4511)
INVALID_CREDENTIALS = 49


class DirectoryUnreachable(SignInRefused):
    """The directory could not be asked (down, the network, TLS refused): the reason in
    one line. The local accounts may stand in ([directory] fallback_local)."""

    def __init__(self, problem: str):
        super().__init__(f"the directory cannot be reached: {problem}")
        self.problem = problem


@dataclass(frozen=True, slots=True)
class DirectorySettings:
    """The [directory] settings a sign-in needs, checked."""

    url: str
    host: str
    port: int
    use_ssl: bool
    start_tls: bool
    ca_bundle: str | None
    user_dn: str | None
    base_dn: str | None
    user_filter: str
    bind_dn: str | None
    name_attribute: str
    county_attribute: str
    person_id_attribute: str
    group_base: str | None
    roles: dict[str, str]  # group CN, in lower case -> role
    timeout_s: float

    @classmethod
    def from_config(cls, config: Config) -> DirectorySettings:
        """The settings of `config`; ConfigError naming what is wrong with them."""
        problem = directory_problem(config)
        if problem or config.directory_url is None:
            raise ConfigError(f"[directory] {problem or 'has no url'}")
        parts = urlsplit(config.directory_url)
        use_ssl = parts.scheme == "ldaps"
        assert parts.hostname is not None  # directory_problem checked it
        return cls(
            url=config.directory_url,
            host=parts.hostname,
            port=parts.port or (636 if use_ssl else 389),
            use_ssl=use_ssl,
            start_tls=not use_ssl and config.directory_start_tls is not False,
            ca_bundle=str(config.directory_ca_bundle) if config.directory_ca_bundle else None,
            user_dn=config.directory_user_dn,
            base_dn=config.directory_base_dn,
            user_filter=config.directory_user_filter,
            bind_dn=config.directory_bind_dn,
            name_attribute=config.directory_name_attribute,
            county_attribute=config.directory_county_attribute,
            person_id_attribute=config.directory_person_id_attribute,
            group_base=config.directory_group_base,
            roles={group.lower(): role for group, role in config.directory_roles.items()},
            timeout_s=config.directory_timeout_s,
        )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__


def _unreachable(exc: BaseException) -> DirectoryUnreachable:
    """The connection's failure in words: a certificate refused says so."""
    text = _one_line(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text.lower():
        return DirectoryUnreachable(
            "its TLS certificate is not trusted (certificate verify failed); check "
            "[directory] ca_bundle"
        )
    if isinstance(exc, ldap_errors.LDAPCertificateError) or "hostname" in text.lower():
        return DirectoryUnreachable(f"its TLS certificate does not name the host ({text})")
    if isinstance(exc, ldap_errors.LDAPStartTLSError):
        return DirectoryUnreachable(f"StartTLS failed ({text})")
    return DirectoryUnreachable(text)


def _values(entry: dict, attribute: str) -> list[str]:
    """An attribute's values as text (attribute names are case-insensitive)."""
    for name, value in entry.items():
        if name.lower() == attribute.lower():
            items = value if isinstance(value, list) else [value]
            return [
                v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                for v in items
                if v not in (None, "", b"")
            ]
    return []


def _under(dn: str, base: str) -> bool:
    """Whether the entry `dn` lies under `base` (compared RDN by RDN, case-blind)."""
    try:
        entry = [(a.lower(), v.lower()) for a, v, _sep in parse_dn(dn, escape=False, strip=True)]
        above = [(a.lower(), v.lower()) for a, v, _sep in parse_dn(base, escape=False, strip=True)]
    except ldap_errors.LDAPInvalidDnError:
        return False
    return len(entry) > len(above) and entry[-len(above) :] == above


def _cn_of(dn: str) -> str | None:
    """The first RDN's value when it is a CN (cn=cc-supervisors,ou=groups,…)."""
    try:
        first = parse_dn(dn, escape=False, strip=True)[0]
    except (ldap_errors.LDAPInvalidDnError, IndexError):
        return None
    return first[1] if first[0].lower() == "cn" else None


def _close(connection: ldap3.Connection) -> None:
    """Unbind and close, whatever state the connection is in: ldap3 leaves the socket
    of a connection that failed to open (or to start TLS) open."""
    with contextlib.suppress(ldap_errors.LDAPException, OSError):
        connection.unbind()
    sock = getattr(connection, "socket", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.close()


class Directory:
    """Signs people in against the bureau's LDAP directory."""

    def __init__(self, config: Config):
        self.settings = DirectorySettings.from_config(config)
        s = self.settings
        self._tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED,
            version=ssl.PROTOCOL_TLS_CLIENT,
            ca_certs_file=s.ca_bundle,
        )

    def _server(self) -> ldap3.Server:
        s = self.settings
        return ldap3.Server(
            s.host,
            port=s.port,
            use_ssl=s.use_ssl,
            tls=self._tls,
            get_info=ldap3.NONE,
            connect_timeout=s.timeout_s,
        )

    def _connection(self, user: str | None, password: str | None) -> ldap3.Connection:
        """An open connection, TLS in place, not yet bound."""
        connection = ldap3.Connection(
            self._server(),
            user=user,
            password=password,
            authentication=ldap3.SIMPLE if user else ldap3.ANONYMOUS,
            auto_bind=ldap3.AUTO_BIND_NONE,
            read_only=True,
            # whole seconds: ldap3 packs it into the socket's SO_RCVTIMEO
            receive_timeout=math.ceil(self.settings.timeout_s),
            raise_exceptions=False,
        )
        try:
            connection.open()
            if self.settings.start_tls and not connection.start_tls():
                result = connection.result or {}
                raise DirectoryUnreachable(
                    f"StartTLS refused ({result.get('description') or 'no reason given'})"
                )
        except (ldap_errors.LDAPException, OSError) as exc:
            _close(connection)
            raise _unreachable(exc) from None
        except DirectoryUnreachable:
            _close(connection)
            raise
        return connection

    def authenticate(self, user_name: str, password: str) -> Person:
        """The person the directory knows by that user name and password; SignInRefused
        (DirectoryUnreachable when it could not be asked) with the reason in words."""
        user_name = user_name.strip()
        if not user_name:
            raise SignInRefused(WRONG_CREDENTIALS)
        # an empty password is an anonymous bind, which most directories accept
        if not password:
            raise SignInRefused("no password given")
        dn = self._user_dn(user_name)
        connection = self._connection(dn, password)
        try:
            try:
                bound = connection.bind()
            except ldap_errors.LDAPException as exc:
                raise _unreachable(exc) from None
            if not bound:
                result = connection.result or {}
                if result.get("result") == INVALID_CREDENTIALS:
                    raise SignInRefused(WRONG_CREDENTIALS)
                raise SignInRefused(
                    "the directory refused the sign-in: "
                    f"{result.get('description') or 'no reason given'} "
                    f"{result.get('message') or ''}".strip()
                )
            return self._person(connection, dn, user_name)
        except ldap_errors.LDAPException as exc:
            raise _unreachable(exc) from None
        finally:
            _close(connection)

    def _user_dn(self, user_name: str) -> str:
        s = self.settings
        if s.user_dn is not None:
            return s.user_dn.replace("{user}", escape_rdn(user_name))
        return self._search_user(user_name)

    def _search_user(self, user_name: str) -> str:
        """The user's DN, found under base_dn by the service account (or anonymously)."""
        s = self.settings
        service_password = None
        if s.bind_dn:
            service_password = os.environ.get(ENV_LDAP_PASSWORD)
            if not service_password:
                raise SignInRefused(
                    f"the directory's service account {s.bind_dn} has no password: set "
                    f"{ENV_LDAP_PASSWORD}"
                )
        connection = self._connection(s.bind_dn, service_password)
        try:
            if not connection.bind():
                result = connection.result or {}
                raise SignInRefused(
                    "the directory refused the service account: "
                    f"{result.get('description') or 'no reason given'}"
                )
            found = connection.search(
                s.base_dn,
                s.user_filter.replace("{user}", escape_filter_chars(user_name)),
                search_scope=ldap3.SUBTREE,
                attributes=[],
                size_limit=2,
            )
            entries = [r for r in connection.response or [] if r.get("type") == "searchResEntry"]
        except ldap_errors.LDAPException as exc:
            raise _unreachable(exc) from None
        finally:
            _close(connection)
        if not found or not entries:
            raise SignInRefused(WRONG_CREDENTIALS)
        if len(entries) > 1:
            raise SignInRefused("the directory has more than one entry for this user name")
        return str(entries[0]["dn"])

    def _person(self, connection: ldap3.Connection, dn: str, user_name: str) -> Person:
        s = self.settings
        wanted = [
            s.name_attribute,
            "displayName",
            s.county_attribute,
            s.person_id_attribute,
            "memberOf",
        ]
        if not connection.search(dn, "(objectClass=*)", ldap3.BASE, attributes=wanted):
            raise SignInRefused("the directory does not let this account read its own entry")
        entry = connection.response[0].get("raw_attributes", {}) if connection.response else {}
        name = (_values(entry, s.name_attribute) or _values(entry, "displayName") or [user_name])[0]
        # a group named in memberOf counts when it is under group_base (anyone able to make
        # a group elsewhere in the tree could name one cc-supervisors)
        groups = {
            cn.lower()
            for g in _values(entry, "memberOf")
            if (cn := _cn_of(g)) and (not s.group_base or _under(g, s.group_base))
        }
        if s.group_base:
            connection.search(
                s.group_base,
                f"(&(objectClass=groupOfNames)(member={escape_filter_chars(dn)}))",
                ldap3.SUBTREE,
                attributes=["cn"],
            )
            for found in connection.response or []:
                if found.get("type") == "searchResEntry":
                    groups.update(cn.lower() for cn in _values(found["raw_attributes"], "cn"))
        mapped = {s.roles[g] for g in groups if g in s.roles}
        roles = tuple(r for r in ROLES if r in mapped)
        if not roles:
            raise SignInRefused(NO_ROLE)
        counties = _values(entry, s.county_attribute)
        if not counties:
            # never the whole city by omission: the city's desks carry its own code
            raise SignInRefused(
                f"the directory gives this account no {s.county_attribute}: its county's "
                f"code, or {CITY_CODE} for the whole city, is needed to sign in"
            )
        county: str | None = counties[0].strip()
        if county == CITY_CODE:
            county = None  # the city's own code: the whole city
        if county is not None and county not in COUNTY_BY_CODE:
            raise SignInRefused(
                f"the directory's {s.county_attribute} of this account ({county[:40]!r}) is "
                "not a county of the city"
            )
        person_ids = _values(entry, s.person_id_attribute)
        return Person(
            user_name=user_name,
            name=name,
            roles=roles,
            county=county,
            person_id=person_ids[0] if person_ids else None,
            source="ldap",
        )
