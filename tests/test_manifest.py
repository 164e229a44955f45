"""manifest.yaml asks for what the code uses, and nothing more: every Slack Web API method the
code calls is covered by the manifest's bot scopes, from a table written from Slack's method
docs. A digest chart went nowhere because files:write was missing; this test would have said so."""

from __future__ import annotations

import ast
import inspect
import re
from datetime import UTC, datetime, timedelta
from functools import cache

import yaml
from slack_sdk import WebClient

from bot.deliver.outbox import Delivery
from bot.deliver.poster import SlackPoster
from bot.models import Item, Mentions, Summary
from bot.store import NewAlert, Store, StoryRecord
from tests.conftest import REPO
from tests.fakes.slack import FakeSlack

# Bot-token scopes each method needs for what Lookout does with it (public and private channels),
# from the "Scopes" section of each method's page, https://docs.slack.dev/reference/methods/<name>.
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),  # no scope
    "chat.postMessage": {"chat:write"},
    "chat.update": {"chat:write"},
    "conversations.history": {"channels:history", "groups:history"},
    "conversations.replies": {"channels:history", "groups:history"},
    "conversations.list": {"channels:read", "groups:read"},
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.members": {"channels:read", "groups:read"},
    "files.getUploadURLExternal": {"files:write"},  # files_upload_v2, step 1
    "files.completeUploadExternal": {"files:write"},  # files_upload_v2, step 3
    "views.publish": set(),  # no scope
}
# Scopes asked for by other parts of the manifest than Web API calls.
FEATURE_SCOPES = {
    "commands": "the /lookout slash command and the message shortcut",
    "app_mentions:read": "the app_mention event (@Lookout in a story's thread)",
}
# Scopes the code can do without (bot/deliver/poster.py: find_posted answers "not found").
OPTIONAL = {"channels:history", "groups:history"}


def manifest() -> dict:
    return yaml.safe_load((REPO / "manifest.yaml").read_text())


@cache
def web_api_methods(attr: str) -> frozenset[str]:
    """The Web API methods one WebClient method calls, read from slack_sdk's own source
    (files_upload_v2 is three calls: get a URL, upload, complete); empty for anything else."""
    fn = vars(WebClient).get(attr)
    if attr.startswith("_") or not callable(fn):
        return frozenset()
    src = inspect.getsource(fn)
    found = set(re.findall(r'api_call\(\s*"([\w.]+)"', src))
    for helper in re.findall(r"self\.(\w+)\(", src):
        if helper != attr:
            found |= web_api_methods(helper)
    return frozenset(found)


def methods_the_code_calls() -> dict[str, set[str]]:
    """Web API method → the bot modules that call it (any `<x>.chat_postMessage` and the like)."""
    calls: dict[str, set[str]] = {}
    for path in sorted((REPO / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                for method in web_api_methods(node.attr):
                    calls.setdefault(method, set()).add(str(path.relative_to(REPO)))
    return calls


def test_the_scan_finds_the_calls_we_know_of():
    calls = methods_the_code_calls()
    assert "bot/deliver/digest_post.py" in calls["files.completeUploadExternal"]
    assert "bot/app/build.py" in calls["auth.test"]
    assert "bot/slack/home.py" in calls["views.publish"]


def test_every_method_the_code_calls_is_in_the_scope_table():
    unknown = {m: sorted(where) for m, where in methods_the_code_calls().items() if m not in METHOD_SCOPES}
    assert unknown == {}, "add each to METHOD_SCOPES from its page on docs.slack.dev"


def test_the_manifest_covers_every_call():
    scopes = manifest()["oauth_config"]["scopes"]
    granted = set(scopes["bot"]) | set(scopes.get("bot_optional", []))
    missing = {
        method: sorted(METHOD_SCOPES[method] - granted)
        for method in methods_the_code_calls()
        if METHOD_SCOPES.get(method, set()) - granted
    }
    assert missing == {}


def test_only_the_history_scopes_are_optional_and_nothing_is_asked_for_without_use():
    scopes = manifest()["oauth_config"]["scopes"]
    needed = set().union(*(METHOD_SCOPES[m] for m in methods_the_code_calls() if m in METHOD_SCOPES))
    assert set(scopes.get("bot_optional", [])) == OPTIONAL
    assert set(scopes["bot"]) == (needed - OPTIONAL) | set(FEATURE_SCOPES)


def test_the_fake_slack_answers_every_method_the_code_calls():
    fake = {
        name.removeprefix("_m_").replace("_", ".", 1) for name in vars(FakeSlack) if name.startswith("_m_")
    }
    assert set(methods_the_code_calls()) <= fake


def test_manifest_features_match_the_code():
    m = manifest()
    assert [c["command"] for c in m["features"]["slash_commands"]] == ["/lookout"]
    assert [s["callback_id"] for s in m["features"]["shortcuts"]] == ["watch_from_message"]
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {"app_home_opened", "app_mention"}


def test_without_the_history_scopes_a_reclaimed_alert_is_still_posted(db_url, fake_slack):
    """The optional scopes are optional: a second claim whose look-up Slack refuses
    (missing_scope) posts the alert instead of failing it."""
    store = Store.open(db_url)
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    [iid] = store.add_items(
        [Item(source_id="wire", guid="a", url="https://example.org/a", title="Report", summary="Text.")],
        now=now,
    )
    story = StoryRecord(
        id="s-a", title="t", first_item_id=iid, opened_at=now, last_item_at=now, summary=Summary(("First.",))
    )
    [aid] = store.record_processed(
        iid,
        now=now,
        mentions=Mentions(),
        story=story,
        new_alerts=[NewAlert("sahel", "#sahel-alerts", "parent")],
    )
    store.claim_alerts(owner="dead", now=now, lease=timedelta(minutes=2))  # claimed once, never posted
    poster = SlackPoster(WebClient(token="xoxb-test", base_url=fake_slack.base_url), pace_seconds=0)
    later = now + timedelta(minutes=3)
    delivery = Delivery(store, poster, owner="w1", source_label=str, now=lambda: later, report_problem=print)
    fake_slack.fail("conversations.history", error="missing_scope")
    report = delivery.run_once()
    assert (report.sent, report.failed) == (1, 0)
    assert len(fake_slack.calls_to("conversations.history")) == 1
    assert store.alert(aid).status == "sent"
