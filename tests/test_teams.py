"""Team watches: YAML seed + stored Slack changes, used by the pipeline, kept over restarts,
shown by `python -m bot teams`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from bot import pipeline
from bot.config import Team, Watch
from bot.models import Item
from bot.store import Store, TeamChange
from bot.stories.urls import dedup_keys
from bot.watches import change_watch, effective_teams, mute, set_require
from tests.conftest import REPO

NOW = datetime.now(UTC)
TEAMS = """
teams:
  - name: sahel-desk
    channel: "#sahel-alerts"
    watch: {regions: [Sahel], keywords: [kidnapping]}
"""


def test_changes_are_replayed_over_the_seed_in_order():
    seed = (
        Team(name="a", channel="C0AAAAAAA", watch=Watch(regions=["Sahel"], keywords=["kidnapping"])),
        Team(name="b", channel="C0BBBBBBB", watch=Watch(groups=["JNIM"])),
    )
    log = [
        TeamChange("a", "add", "region", "Mopti", "U1"),
        TeamChange("a", "remove", "keyword", "KIDNAPPING", "U1"),
        TeamChange("a", "add", "region", "mopti", "U2"),  # the same name: no duplicate
        TeamChange("a", "require", "require", "region_and_group", "U1"),
        TeamChange("a", "mute", "group", "JNIM", "U1"),  # mutes do not touch the watch
        TeamChange("gone", "add", "region", "Mali", "U1"),
    ]  # a team no longer in YAML
    a, b = effective_teams(seed, log)
    assert a.watch.regions == ["Sahel", "Mopti"] and a.watch.keywords == []
    assert a.watch.require == "region_and_group" and b == seed[1]
    assert seed[0].watch.regions == ["Sahel"]  # the seed itself is untouched


def test_request_keys_are_claimed_once(db_url):
    store = Store.open(db_url)
    assert store.claim_request("trigger:abc", now=NOW) is True
    assert store.claim_request("trigger:abc", now=NOW + timedelta(seconds=30)) is False
    assert store.claim_request("event:Ev1", now=NOW) is True


def test_slack_changes_survive_a_restart_and_drive_the_pipeline(make_services, db_url):
    services = make_services(teams=TEAMS, db_url=db_url)
    [team] = services.teams()
    change_watch(
        services.store,
        services.matcher,
        team,
        action="add",
        kind="keyword",
        raw="cattle raid",
        user_id="U1",
        now=NOW,
    )
    set_require(services.store, team, "any", user_id="U1", now=NOW)  # already so: not stored
    services.store.close()

    restarted = make_services(teams=TEAMS, db_url=db_url)  # a new process on the same database
    [team] = restarted.teams()
    assert team.watch.keywords == ["kidnapping", "cattle raid"]
    assert len(restarted.store.team_changes()) == 1
    item = Item(
        "wire",
        "x1",
        "https://example.org/raid",
        "Cattle raid leaves herders homeless",
        "A cattle raid in a rural district left dozens of herders homeless, officials said.",
        published=NOW,
    )
    restarted.store.add_items([item], now=NOW, keys=[dedup_keys(item)])
    assert pipeline.process_pending(restarted, now=NOW).alerts == 1


def test_mutes_are_audited_and_honoured(make_services, db_url):
    services = make_services(teams=TEAMS, db_url=db_url)
    [team] = services.teams()
    mute(
        services.store,
        services.matcher,
        team,
        kind="keyword",
        raw="kidnapping",
        duration="1d",
        user_id="U7",
        now=NOW,
    )
    [change] = services.store.team_changes("sahel-desk")
    assert (change.action, change.value, change.user_id) == ("mute", "kidnapping", "U7")
    assert change.until == services.store.active_mutes("sahel-desk", now=NOW)[0].until
    item = Item(
        "wire",
        "k1",
        "https://example.org/k",
        "Kidnapping of a trader in a market town",
        "Gunmen seized a trader in a market town on Monday, his family said.",
        published=NOW,
    )
    assert services.matcher.match(team, services.matcher.mentions(item.body), item.body)  # unmuted: fires
    services.store.add_items([item], now=NOW, keys=[dedup_keys(item)])
    assert pipeline.process_pending(services, now=NOW).alerts == 0


def lookout(config, env, *args):
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


def test_teams_command_shows_slack_changes_and_history(make_services, tmp_path, data_dir):
    db = f"sqlite:///{tmp_path / 'lookout.db'}"
    services = make_services(teams=TEAMS, db_url=db)
    [team] = services.teams()
    change_watch(
        services.store,
        services.matcher,
        team,
        action="add",
        kind="region",
        raw="mopti",
        user_id="U1",
        now=NOW,
    )
    change_watch(
        services.store,
        services.matcher,
        team,
        action="remove",
        kind="keyword",
        raw="kidnapping",
        user_id="U2",
        now=NOW,
    )
    services.store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env |= {"DATABASE_URL": db, "LOOKOUT_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    result = lookout(tmp_path / "config", env, "teams", "--history")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sahel-desk → #sahel-alerts  (2 changes from Slack)" in out
    assert "regions: Sahel, Mopti*" in out and "removed in Slack: kidnapping" in out
    assert out.index("U2: removed keyword kidnapping") < out.index("U1: added region Mopti")
    bad = lookout(tmp_path / "config", env, "teams", "--team", "nope")
    assert bad.returncode == 2 and 'unknown team "nope"' in bad.stderr
