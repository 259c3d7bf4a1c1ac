"""Schema migrations with Alembic, run from code (no alembic.ini needed), so an
installed client upgrades its store at start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration for the store's migrations on this engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the store's schema to this version's."""
    command.upgrade(alembic_config(engine), "head")


def revisions(engine: Engine) -> tuple[str | None, str]:
    """The store's schema revision (None: no schema) and this version's."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None  # the migrations ship with the package
    return current, head
