"""Configuration file, overrides, and where the SK may (and may not) come from."""

from __future__ import annotations

import os
import re

import pytest

from commandcenter.config import SETTINGS, Config, ConfigError, load_config
from commandcenter.domain.secret import Secret
from commandcenter.local.credentials import CredentialError, read_sk_file, resolve_sk, write_sk_file


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_file_then_environment_override(tmp_path):
    path = write(
        tmp_path,
        """
[datacenter]
url = "https://dc.sfj.local:8443/"
ak = "ws-01"
[store]
url = "sqlite:////tmp/x.db"
[feeds.intervals]
alerts = 2
[workstation]
role = "supervisor"
""",
    )
    config = load_config(path, environ={})
    assert config.datacenter_url == "https://dc.sfj.local:8443"
    assert config.ak == "ws-01"
    assert config.intervals["alerts"] == 2.0
    assert config.intervals["service_points"] == 15
    assert config.role == "supervisor"
    overridden = load_config(
        path, environ={"COMMANDCENTER_AK": "ws-02", "COMMANDCENTER_DB": "sqlite:////tmp/y.db"}
    )
    assert overridden.ak == "ws-02"
    assert overridden.db_url == "sqlite:////tmp/y.db"


def test_no_file_means_embedded_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config = load_config(None, environ={})
    assert config.embedded
    assert config.db_url is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[datacenter]\nsk = 'abc'\n", "must never be written"),
        ("[datacenter]\nurl = 'ftp://x'\n", "not an http(s) URL"),
        ("[datacenter]\nurl = 'https://u:p@x'\n", "credentials do not belong"),
        ("[datacenter]\nak = 12\n", "ak must be a str"),
        ("[datacenter]\ntimeout_s = 0\n", "timeout_s must be between"),
        ("[datacentre]\nurl = 'https://x'\n", "unknown section [datacentre]"),
        ("[datacenter]\nuri = 'https://x'\n", "unknown key 'uri'"),
        ("[feeds.intervals]\nalarms = 3\n", "unknown feed 'alarms'"),
        ("[feeds.intervals]\nalerts = -1\n", "alerts must be a number of seconds"),
        ("[workstation]\nrole = 'admin'\n", "role must be one of"),
        ("[datacenter\n", "not valid TOML"),
        ("[datacenter]\nmax_response_mib = 0\n", "max_response_mib must be from 1 to 4096"),
        ("[datacenter]\nmax_response_mib = 1.5\n", "max_response_mib must be a int"),
        ("[datacenter]\nca_bundle = 'no-such-ca.pem'\n", "does not exist or is not a file"),
    ],
)
def test_bad_configuration_names_the_problem(tmp_path, text, needle):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    assert needle in str(info.value)
    assert str(path) in str(info.value)
    assert "abc" not in str(info.value)  # never echo a secret back


def test_the_size_limit_of_answers_from_the_file(tmp_path):
    assert load_config(write(tmp_path, "[datacenter]\n"), environ={}).max_response_mib == 64
    config = load_config(write(tmp_path, "[datacenter]\nmax_response_mib = 256\n"), environ={})
    assert config.max_response_mib == 256


def test_a_file_that_is_not_utf8_is_named_not_a_traceback(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes("[workstation]\noperator = '值班员'\n".encode("gb18030"))
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    assert str(info.value).startswith(f"{path}: not UTF-8 text (byte 0x")
    assert "save it as UTF-8" in str(info.value)


def test_a_ca_bundle_that_holds_no_certificate_is_named(tmp_path):
    (tmp_path / "ca.pem").write_text("not a certificate\n", encoding="utf-8")
    path = write(tmp_path, "[datacenter]\nca_bundle = 'ca.pem'\n")
    with pytest.raises(ConfigError, match="holds no PEM certificate"):
        load_config(path, environ={})


def test_missing_named_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", environ={})


def test_sk_from_environment(tmp_path):
    sk = resolve_sk("ak", sk_file=tmp_path / "none", environ={"COMMANDCENTER_SK": "s3cret"})
    assert sk.reveal() == "s3cret"
    assert "s3cret" not in repr(sk) and "s3cret" not in str(sk)


def test_sk_file_must_be_owner_only(tmp_path):
    file = tmp_path / "sk"
    write_sk_file(file, Secret("from-file"))
    assert os.stat(file).st_mode & 0o777 == 0o600
    assert resolve_sk("ak", sk_file=file, environ={}).reveal() == "from-file"
    os.chmod(file, 0o644)
    with pytest.raises(CredentialError, match="chmod 600") as info:
        read_sk_file(file)
    assert "from-file" not in str(info.value)


def test_no_sk_anywhere_says_where_it_looked(tmp_path):
    with pytest.raises(CredentialError) as info:
        resolve_sk("ws-01", sk_file=tmp_path / "sk", environ={})
    message = str(info.value)
    assert "COMMANDCENTER_SK" in message and str(tmp_path / "sk") in message


def test_the_audit_key_is_made_once_owner_only_and_shared_by_processes_starting_together(
    tmp_path,
):
    import subprocess
    import sys

    from commandcenter.local.credentials import audit_key

    file = tmp_path / "config" / "audit-key"
    assert audit_key(create=False, key_file=file, environ={}) is None and not file.exists()
    # four processes asking at once for the first time: one key for all of them
    script = (
        "import sys; from pathlib import Path; from commandcenter.local.credentials import audit_key; "
        "print(audit_key(key_file=Path(sys.argv[1]), environ={}).reveal())"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(file)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    keys = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert len(keys) == 1 and len(next(iter(keys))) == 64
    assert os.stat(file).st_mode & 0o777 == 0o600 and list(file.parent.iterdir()) == [file]
    assert audit_key(key_file=file, environ={}).reveal() in keys
    # the variable, where an administrator gives desks sharing a store one key, wins
    given = audit_key(key_file=file, environ={"COMMANDCENTER_AUDIT_KEY": "shared by the desks"})
    assert given.reveal() == "shared by the desks"
    os.chmod(file, 0o640)
    with pytest.raises(CredentialError, match=r"audit key file .* is readable by others"):
        audit_key(key_file=file, environ={})


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        ('coord_sys = "BD09"', "coord_sys must be one of GCJ02, WGS84"),
        ('tiles = "tianditu"', "needs tianditu_key"),
        ('tiles = "http://gis.local/tiles/{z}/{x}.png"', "XYZ template"),
        ('tiles = "no-such-folder"', "not a URL template"),
    ],
)
def test_a_map_base_layer_that_cannot_be_used_is_named(tmp_path, section, needle):
    with pytest.raises(ConfigError, match=needle):
        load_config(write(tmp_path, f"[map]\n{section}\n"), environ={})


def test_map_base_layers_from_the_file(tmp_path):
    (tmp_path / "tiles").mkdir()
    config = load_config(
        write(tmp_path, '[map]\ntiles = "tiles"\ncoord_sys = "WGS84"\n'), environ={}
    )
    assert config.map_tiles == str(tmp_path / "tiles") and config.map_coord_sys == "WGS84"
    config = load_config(
        write(tmp_path, '[map]\ntiles = "tianditu"\ntianditu_key = "k"\n'), environ={}
    )
    assert (
        config.map_tiles == "tianditu" and config.map_coord_sys == "WGS84"
    )  # Tianditu's own system


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        ("[statistics.thresholds]\nhotline_waiting = 10", "hotline_waiting must be two numbers"),
        ("[statistics.thresholds]\nhotline_waits = [1, 2]", "unknown threshold 'hotline_waits'"),
        (
            "[statistics.thresholds]\nmediation_backlog = [900, 500]",
            "the warning 900 is above the alarm 500",
        ),
        ("[statistics.thresholds]\nsurge_pct = [true, 2]", "surge_pct must be two numbers"),
        ('[statistics.population]\n"3205" = 12.0', "'3205' is not a six-digit county code"),
        ('[statistics.population]\n"320506" = -1', "320506 must be a positive number"),
        ("[statistics]\npopulation = 3", "population must be a dict"),
    ],
)
def test_statistics_settings_that_cannot_be_used_are_named(tmp_path, section, needle):
    with pytest.raises(ConfigError, match=needle.replace("[", r"\[").replace("(", r"\(")):
        load_config(write(tmp_path, section), environ={})


def test_statistics_settings_from_the_file(tmp_path):
    from commandcenter.domain.thresholds import DEFAULTS, Level, for_category, level

    config = load_config(
        write(
            tmp_path,
            """
[statistics.thresholds]
hotline_waiting = [8, 12]
mediation_surge_pct = [20, 40]
legal_aid_backlog = [400, 800]
[statistics.population]
"320506" = 140
""",
        ),
        environ={},
    )
    assert config.thresholds["hotline_waiting"] == (8.0, 12.0)
    assert (
        config.thresholds["points_offline_pct"] == DEFAULTS["points_offline_pct"]
    )  # the rest stay
    assert for_category(config.thresholds, "mediation", "surge_pct") == (20.0, 40.0)
    assert for_category(config.thresholds, "notary", "surge_pct") == DEFAULTS["surge_pct"]
    assert (
        for_category(config.thresholds, "notary", "backlog") is None
    )  # no general backlog threshold
    assert level(500, for_category(config.thresholds, "legal_aid", "backlog")) is Level.WARN
    assert level(None, (1, 2)) is Level.OK and level(2, (1, 2)) is Level.ALARM
    assert config.population_10k == {"320506": 140.0}


def test_alert_settings_from_the_file_and_their_errors(tmp_path):
    config = load_config(
        write(tmp_path, "[alerts]\nsound = false\nescalate_after_s = 60\n"), environ={}
    )
    assert (config.alert_sound, config.escalate_after_s) == (False, 60.0)
    with pytest.raises(
        ConfigError, match=r"\[alerts\] escalate_after_s must be from 10 to 3600 seconds, got 5"
    ):
        load_config(write(tmp_path, "[alerts]\nescalate_after_s = 5\n"), environ={})
    with pytest.raises(ConfigError, match=r"\[alerts\] sound must be a bool"):
        load_config(write(tmp_path, '[alerts]\nsound = "yes"\n'), environ={})


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        (
            'wall_layout = "3x3"',
            "wall_layout must be one of 1, 4, 9, 16, 25, 36, 1+5, 1+7, got '3x3'",
        ),
        ('wall_layout = "1+5"\nfirst_tile = 7', "first_tile must be from 1 to 6, got 7"),
        ("first_tile = 0", "first_tile must be from 1 to 36, got 0"),
        ('first_tile = "1"', "first_tile"),
    ],
)
def test_an_alarm_layout_that_cannot_be_used_is_named(tmp_path, section, needle):
    with pytest.raises(ConfigError, match=re.escape(needle)):
        load_config(write(tmp_path, f"[alerts]\n{section}\n"), environ={})


def test_the_alarm_layout_from_the_file(tmp_path):
    config = load_config(
        write(tmp_path, '[alerts]\nwall_layout = "1+5"\nfirst_tile = 2\n'), environ={}
    )
    assert (config.alarm_wall_layout, config.alarm_first_tile) == ("1+5", 2)
    default = load_config(write(tmp_path, "[alerts]\nsound = false\n"), environ={})
    assert (default.alarm_wall_layout, default.alarm_first_tile) == (None, 1)


def test_a_file_that_sets_nothing_gives_the_defaults(tmp_path):
    path = write(tmp_path, "[datacenter]\n[alerts]\n")
    assert load_config(path, environ={}) == Config(source=path)


def test_every_setting_fills_a_field_and_the_readme_shows_it():
    from dataclasses import fields
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    sample = readme.split("### Configuration", 1)[1].split("```toml", 1)[1].split("```", 1)[0]
    names = {f.name for f in fields(Config)}
    for setting in SETTINGS:
        assert setting.field in names, setting
        assert setting.help, setting
        assert re.search(rf"^\[{setting.section}(\.{setting.key})?\]", sample, re.MULTILINE), (
            setting.section
        )
        assert re.search(
            rf"^(# )?{setting.key} = |^\[{setting.section}\.{setting.key}\]", sample, re.MULTILINE
        ), setting.key
