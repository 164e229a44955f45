"""Where config, catalogues, the data dir and the SQLite file are when nothing says otherwise:
from the repository as DESIGN.md says, and from any other folder without failing or leaving a
second index and database behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.configfiles.catalogues import CATALOGUES, catalogue_path
from bot.settings import Settings
from tests.conftest import REPO
from tests.match_support import INDEX_DIR, matcher


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("LOOKOUT_CONFIG", "LOOKOUT_DATA_DIR", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path


def test_from_the_repository_data_and_db_are_where_design_says(clean_env, monkeypatch):
    monkeypatch.chdir(REPO)
    settings = Settings()
    assert settings.lookout_data_dir == Path("data")
    assert settings.db_url == "sqlite:///lookout.db"


def test_beside_a_config_folder_elsewhere(clean_env):
    (clean_env / "srv" / "config").mkdir(parents=True)
    settings = Settings(lookout_config=clean_env / "srv" / "config")
    assert settings.lookout_data_dir == clean_env / "srv" / "data"
    assert settings.db_url == f"sqlite:///{clean_env / 'srv' / 'lookout.db'}"


def test_without_a_config_folder_the_per_user_data_folder(clean_env, monkeypatch):
    monkeypatch.chdir(clean_env)
    settings = Settings()
    assert settings.lookout_data_dir == clean_env / "xdg" / "lookout" / "data"
    assert settings.db_url == f"sqlite:///{clean_env / 'xdg' / 'lookout' / 'lookout.db'}"


def test_the_environment_wins(clean_env, monkeypatch):
    monkeypatch.setenv("LOOKOUT_DATA_DIR", str(clean_env / "d"))
    monkeypatch.setenv("DATABASE_URL", "postgres://db/lookout")
    settings = Settings()
    assert settings.lookout_data_dir == clean_env / "d"
    assert settings.db_url == "postgresql+psycopg://db/lookout"


def test_catalogues_ship_with_the_package_and_config_overrides(tmp_path):
    assert catalogue_path(tmp_path, "regions.yaml") == CATALOGUES / "regions.yaml"
    (tmp_path / "regions.yaml").write_text("regions: {}\n")
    assert catalogue_path(tmp_path, "regions.yaml") == tmp_path / "regions.yaml"
    assert not (REPO / "config" / "regions.yaml").exists()  # config/ holds the user's files only


def test_a_look_up_from_another_folder_leaves_nothing_behind(clean_env, monkeypatch):
    matcher()  # the shared test index, which the per-user data folder points at here
    monkeypatch.chdir(clean_env)
    user_data = clean_env / "xdg" / "lookout"
    user_data.mkdir(parents=True)
    (user_data / "data").symlink_to(INDEX_DIR, target_is_directory=True)
    before = sorted(clean_env.iterdir())
    result = CliRunner().invoke(cli, ["who", "GSIM"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "JNIM — al-Qaeda affiliate"
    assert sorted(clean_env.iterdir()) == before
