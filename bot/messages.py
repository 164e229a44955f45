"""Words users read in Slack, in one place.

Templates take `str.format` placeholders (`{at:%d %b %H:%M}` takes a datetime); the code
fills them in and escapes what came from outside (names people typed, feed titles). Log
lines and operators' errors stay beside the code; the command line's words stay in bot/cli/.
"""

# ---- /lookout itself (bot/slack/commands.py) ----------------------------------------------
HELP_HEAD = "*Lookout* — conflict and security news for this channel's team. Sub-commands:"
HELP_LINE = "• `/lookout {usage}` — e.g. `/lookout {example}`"
HELP_FOOT = (
    "Answers are only visible to you; a search result's *Share* button posts it to the "
    "channel. Watch and mute changes are open to members of the team's channel and are "
    "recorded (`/lookout watch history`). Add `team:<name>` to pick a team explicitly."
)
UNKNOWN_COMMAND = "I don't know `{word}`. Try `/lookout help`."
TOO_LONG = "That command is {length} characters long; the limit is {limit}. Nothing was changed."
COMMAND_FAILED = "Sorry, `/lookout {name}` failed on our side; nothing was changed. Try again shortly."
USAGE = "Usage: `/lookout {usage}` — e.g. `/lookout {example}`."

# ---- which team a command is about, and who may change it (bot/slack/request.py) ----------
NO_TEAM = (
    "No Lookout team posts in this channel ({channel}). Run the command in a team's channel, "
    "add `team:<name>`, or add a team in config/teams.yaml."
)
NO_SUCH_TEAM = "There is no team `{name}`. Teams: {names}."
SEVERAL_TEAMS = "Several teams use this channel ({names}); add e.g. `team:{first}` to say which."
NOT_ALLOWED = (
    "Only members of {channel} (or Lookout admins) can change {team}'s watch, mutes or digest. "
    "Nothing was changed."
)
ITS_CHANNEL = "its channel"  # {channel} above when the team is no longer configured
NONE = "none"  # an empty list of teams or watched names

# ---- names in watches, mutes and searches (bot/watches.py) ---------------------------------
NAME_MISSING = "Give a name after the kind, e.g. `Mopti`."
NAME_TOO_LONG = "That name is {length} characters long; the limit is {limit}."
NAME_INVISIBLE = "That name contains invisible control characters; type it plainly."
NAME_NO_LETTER = "A name needs at least one letter or digit."
NAME_UNKNOWN = "I don't know the {kind} `{name}` in the {where}.{hint} Nothing was changed."
NAME_UNKNOWN_REGION = "gazetteer (places, admin1, countries, regions)"  # {where} for a region
NAME_UNKNOWN_GROUP = "group catalogue"  # {where} for a group
DID_YOU_MEAN = " Did you mean {names}?"  # {names}: up to three `name`s joined by " or "

# ---- a team's watch: in words, and its changes (bot/watches.py, bot/slack/cmd_watch.py) ---
WATCH_PLACES = "places: {names}"
WATCH_GROUPS = "groups: {names} (with their affiliates)"
WATCH_KEYWORDS = "keywords: {names}"
WATCH_DESCRIBED = "{team} watches {parts}."  # {parts}: the three above joined by "; "
WATCH_NOTHING = "{team} watches nothing yet, so it gets no alerts."
WATCH_FIRES_ON = "An alert fires on {what}."
WATCH_NEVER_ON = "Never on: {names}."
REQUIRE_BOTH = "a story naming both a watched place and a watched group"  # {what} for region_and_group
REQUIRE_ANY = "any watched place, group or keyword"  # {what} for any
WATCH_TOPICS = {  # describe_watch: the team's `topics` setting (teams.yaml)
    "security": "Topics: security news only (attacks, clashes, strikes, kidnappings, coups…); "
    "a keyword fires on any news.",
    "all": "Topics: all news about its places and groups (topics: all).",
}
WATCH_MUTED = "Muted: {mutes}."
WATCH_CHANGE_HINT = (
    "Change it with `/lookout watch add|remove region|group|keyword <name>`; "
    "see who changed what with `/lookout watch history`."
)
WATCH_NOT_A_COMMAND = "`watch {verb}` is not a watch command. {usage}"
WATCH_CHANGE_HOW = (
    "Say what to {verb}: `/lookout watch {verb} region Mopti`, "
    "`/lookout watch {verb} group JNIM` or `/lookout watch {verb} keyword "
    "kidnapping`. Nothing was changed."
)
WATCH_BAD_KIND = "You can {action} a region, group or keyword, not `{kind}`."
WATCH_ALREADY = "{team} already watches the {kind} {value}."
WATCH_NOT_WATCHED = "{team} does not watch the {kind} `{name}` (its {field}: {listed}). Nothing was changed."
WATCH_ADDED = "{team} now watches the {kind} {value}."
WATCH_REMOVED = "{team} no longer watches the {kind} {value}."
REQUIRE_HOW = (
    "Say `/lookout watch require any` or `/lookout watch require region_and_group`. Nothing was changed."
)
REQUIRE_BAD = "`require` takes `any` or `region_and_group`, not `{value}`. Nothing was changed."
REQUIRE_ALREADY = "{team} already requires {value}."
REQUIRE_SET = "{team} now alerts on {what}."

# ---- the audit trail: `/lookout watch history` (bot/watches.py, bot/slack/cmd_watch.py) ----
HISTORY_NONE = "No changes to {team} from Slack yet: it is as in config/teams.yaml."
HISTORY_HEAD = "Latest changes to {team} (newest first):"
HISTORY_LINE = "{when} — {user}: {what}"  # cmd_watch turns " — {user}:" into a mention
HISTORY_WHEN = "{at:%Y-%m-%d %H:%M} UTC"
HISTORY_WHAT = {  # {what} by the change's action
    "add": "added {kind} {value}",
    "remove": "removed {kind} {value}",
    "require": "set require {value}",
    "mute": "muted {kind} {value} {until}",
    "unmute": "unmuted {kind} {value}",
    "digest": "digest {kind} {value}",  # "digest set 0 7 * * * Africa/Bamako", "digest now"
}
HISTORY_WHAT_OTHER = "{action} {kind} {value}"

# ---- mutes (bot/watches.py, bot/slack/cmd_mute.py) -----------------------------------------
MUTE_HOW = (
    "Say what to mute: `/lookout mute <{kinds}> <name> [for 24h]`, e.g. "
    "`/lookout mute keyword football for 7d`. Nothing was changed."
)
UNMUTE_HOW = (
    "Say what to unmute: `/lookout unmute <{kinds}> <name>`; "
    "`/lookout mutes` lists them. Nothing was changed."
)
MUTE_BAD_KIND = "You can mute a {kinds} or {last}, not `{kind}`."
MUTE_BAD_DURATION = (
    "`for {duration}` is not a duration; use e.g. `for 24h`, `for 30m` or `for 7d`. Nothing was changed."
)
MUTE_NO_STORY = "No story `{name}`. Story ids look like `s-1a2b3c4d5e6f`; `/lookout search` shows them."
MUTED = "{team}: {kind} {value} muted {until}."
UNMUTE_NOTHING = "{team} has no active mute on the {kind} `{name}`. See `/lookout mutes`."
UNMUTED = "{team}: {kind} {value} unmuted."
UNTIL = "until {at:%Y-%m-%d %H:%M} UTC"  # {until} above
UNTIL_UNMUTED = "until unmuted"
MUTES_NONE = "{team} has no active mutes."
MUTES_HEAD = "{team} has {count} active mute{plural}:"
MUTES_LINE = "• {kind} {value} — {until}"

# ---- search and share (bot/slack/cmd_lookup.py) ---------------------------------------------
SEARCH_NEEDS_VALUE = "`{marker}` needs a value, e.g. `/lookout search attack in Mopti group JNIM since 3d`."
SEARCH_BAD_SINCE = "`since {since}` is not a duration; use e.g. `since 7d` or `since 12h`."
SEARCH_WHAT = "Say what to search for: {usage}"  # {usage}: USAGE above
SEARCH_NONE = "No stories in the last {since} match {what}. Try fewer words or `since 30d`."
SEARCH_HEAD = "*{total} stor{plural}* in the last {since} matching {what} — {first}–{last}:"
SEARCH_STALE = "That search can no longer be paged; run `/lookout search` again."
BUTTON_MORE = "More"
BUTTON_SHARE = "Share"
STORY_META = "{at:%d %b %H:%M} UTC · {count} source{plural} · `{id}`"  # under a result's title
SHARE_HOW = (
    "Say which story: `/lookout share s-1a2b3c4d5e6f` (search results show the id and a Share button)."
)
SHARED_BY = "Shared by <@{user}> from a Lookout search"
STORY_GONE = "That story is no longer in the store."
NO_STORY = "No story `{id}`. " + STORY_GONE

# ---- where / who (bot/slack/cmd_lookup.py) --------------------------------------------------
WHERE_HOW = "Say which place: `/lookout where Boulikessi`."
WHERE_UNKNOWN = "I don't know a place called `{name}`.{hint}"
PLACE_LINE = "{name} — {inside}{regions}{coords}"  # {inside}: admin1, "Country (CC)"
PLACE_REGIONS = " · regions: {names}"
PLACE_COORDS = " · {lat}, {lon}"
WHERE_REGION = "*{name}* — a region of Lookout's catalogue: {countries}"
WHO_HOW = "Say which group: `/lookout who JNIM`."
WHO_UNKNOWN = "I don't know a group called `{name}`.{hint}"
WHO_NAME = "*{name}*{affiliate}"
WHO_AFFILIATE = " — {affiliation} affiliate"
WHO_ALIASES = "Also called: {names}"
WHO_AFFILIATES = "Affiliates: {names}"
WHO_ACTIVE_IN = "Active in: {names}"
RECENT_HEAD = "Recent stories (last {days} days, {count} in all):"
NO_RECENT = "No stories in the last {days} days."

# ---- digests (bot/slack/cmd_digest.py) ------------------------------------------------------
DIGEST_UNKNOWN = "I don't know `digest {word}`. Usage: `/lookout {usage}`"
DIGEST_NONE = (
    "*{team}* gets real-time cards and no digest. Start one with "
    "`/lookout digest set daily 07:00 Africa/Bamako`."
)
DIGEST_HEAD = "*{team}* digest: {schedule}, mode `{mode}`"
DIGEST_NEXT = "Next: {at:%a %d %b %H:%M}"
DIGEST_NEXT_NEVER = "Next: never (the schedule has ended)"
DIGEST_SO_FAR = "So far: {count} stor{plural} since {since:%a %d %b %H:%M}{where}"
DIGEST_SO_FAR_WHERE = " — {countries}"  # {where} above: "Mali 3, Niger 1"
DIGEST_HINT = "`/lookout digest now` posts it now; `/lookout digest set …` changes the schedule."
DIGEST_BUSY = "A digest for this team is being posted right now; nothing more was sent."
DIGEST_FAILED = (
    "The digest could not be posted (the error is in the bot's log and "
    "`/lookout status`). The next digest will include these stories."
)
DIGEST_POSTED = "Digest posted: {count} stor{plural}. The next scheduled digest starts from here."
DIGEST_BAD_SCHEDULE = "{error}\nNothing was changed. Example: `/lookout digest set daily 07:00 Africa/Bamako`"
DIGEST_SET = "*{team}* digest is now {schedule}; first one {at:%a %d %b %H:%M} ({zone}).{cards}"
DIGEST_CARDS_CONTINUE = " Real-time cards continue as before."  # {cards} unless mode is digest

# ---- sources (bot/slack/cmd_sources.py, bot/fetch/changes.py) -------------------------------
SOURCES_NONE = "No source has been polled yet."
SOURCE_PAUSED_LINE = "⏸ *{label}* — paused · {items} items"
SOURCES_HEAD = "*{count} sources*"
SOURCE_OK = "✅ *{label}* — {last_ok} · {items} items"
SOURCE_FAILING = "⚠️ *{label}* — {failures} failures in a row ({error}) · {last_ok}"
SOURCE_LAST_OK = "last OK {at:%d %b %H:%M} UTC"
SOURCE_NEVER_OK = "never fetched OK"
SOURCE_UNKNOWN_ERROR = "unknown error"
SOURCES_USAGE = "sources [add <feed URL> [name] | remove <name> | pause <name> | resume <name> | history]"
SOURCES_NOT_A_COMMAND = "I don't know `sources {verb}`. Usage: `/lookout {usage}`"
SOURCES_ADMINS_ONLY = (
    "Only Lookout admins (the Slack user ids in LOOKOUT_ADMINS) can add, remove, pause or resume "
    "sources. Nothing was changed."
)
SOURCE_ADD_HOW = (
    "Say `/lookout sources add <feed URL> [name]`, e.g. "
    "`/lookout sources add https://example.org/feed.xml example`. Nothing was changed."
)
SOURCE_NAME_HOW = "Say which source: `/lookout sources {verb} <name>` (`/lookout sources` lists them)."
SOURCE_BAD_URL = "`{url}` is not a feed address: give a full http:// or https:// URL. Nothing was changed."
SOURCE_URL_TOO_LONG = "That URL is {length} characters long; the limit is {limit}. Nothing was changed."
SOURCE_BAD_NAME = (
    "`{name}` cannot name a source: use lowercase letters, digits, `.`, `_` or `-` (at most 64), "
    "e.g. `bbc-africa`. Nothing was changed."
)
SOURCE_NAME_TAKEN = "There is already a source `{name}` ({url}).{hint} Nothing was changed."
SOURCE_NAME_HINT = " Give the new one a name: `/lookout sources add <feed URL> <name>`."
SOURCE_URL_TAKEN = "That feed is already polled as `{name}`. Nothing was changed."
SOURCE_UNUSABLE = "I could not read a feed at {url}: {error}. Nothing was changed."
SOURCE_UNKNOWN = "There is no source `{name}`. Sources: {names}. Nothing was changed."
SOURCE_ADDED = (
    "Added source `{name}`: {title} — {count} item{plural} in the feed now ({url}). "
    "Workers start polling it within a minute, every {interval} s."
)
SOURCE_NO_TITLE = "a feed with no title"  # {title} above
SOURCE_REMOVED = "Removed source `{name}` ({url}): it is no longer polled. Its stored items stay."
SOURCE_PAUSED = "Paused source `{name}`: it is not polled until `/lookout sources resume {name}`."
SOURCE_RESUMED = "Resumed source `{name}`: workers poll it again within a minute."
SOURCE_ALREADY_PAUSED = "Source `{name}` is already paused."
SOURCE_ALREADY_RUNNING = "Source `{name}` is not paused."
SOURCES_HISTORY_NONE = "No source changes from Slack yet: the sources are as in config/sources.yaml."
SOURCES_HISTORY_HEAD = "Latest source changes (newest first):"
SOURCE_HISTORY_WHAT = {  # {what} in HISTORY_LINE, by the change's action
    "add": "added source {name} ({url})",
    "remove": "removed source {name}",
    "pause": "paused source {name}",
    "resume": "resumed source {name}",
}

# ---- App Home (bot/slack/home.py) -----------------------------------------------------------
HOME_TITLE = "Lookout"
HOME_NO_TEAMS = (
    "You are not in any Lookout team's channel yet. Join one, or ask an admin to add "
    "your channel in config/teams.yaml."
)
HOME_TEAM = "*{team}* → {channel}\n{watch}"
HOME_MUTED = "Muted: {mutes}"
HOME_LATEST = "Latest stories:"
HOME_NO_STORIES = "No stories posted yet."
HOME_FOOT = "`/lookout help` lists every command. Changes you make are recorded (`/lookout watch history`)."

# ---- the "Watch this place/group" message shortcut (bot/slack/shortcuts.py) ----------------
SHORTCUT_NOTHING = "I found no places or armed groups in that message."
SHORTCUT_OFFER = "Add places or groups from this message to a watch"
SHORTCUT_HEAD = "Add to {team}'s watch:"
SHORTCUT_BUTTON = "{name} ({kind})"
SHORTCUT_ALL_WATCHED = "Every place and group in that message is already watched."
SHORTCUT_STALE = "That button is out of date; use the shortcut again."

# ---- story threads (bot/slack/threads.py) ---------------------------------------------------
THREAD_HELP = (
    "Mention me in a story's thread with one of:\n"
    "• `sources` — every report of this story, with links\n"
    "• `more` — the fuller summary, and each fact with the sentence it was read from\n"
    "• `mute` — no more updates of this story for {team} (`unmute` undoes it)\n"
    "• `not relevant` — tell us this story should not have reached {team}; it is muted too"
)
NOT_A_STORY_THREAD = (
    "I answer in the threads of my story cards: mention me there with `sources`, `more`, "
    "`mute` or `not relevant`. For anything else, try `/lookout help`."
)
SOMEONE = "Someone"  # {user} below when the id is not a Slack user id
STORY_MUTED = (
    "{user} muted this story for {team}: no more updates will be posted here. "
    "Mention me with `unmute` to undo."
)
STORY_ALREADY_MUTED = "This story is already muted for {team}. Mention me with `unmute` to undo."
STORY_UNMUTED = "{user} unmuted this story for {team}: later reports will be posted here again."
STORY_NOT_MUTED = "This story is not muted for {team}; nothing was changed."
STORY_NOT_RELEVANT = (
    "Thanks {user}: noted that this story is not relevant for {team} (it helps "
    "tune the watch). It is muted: no more updates will be posted here."
)
STORY_ALREADY_NOT_RELEVANT = "Already noted as not relevant for {team}, and muted."
THREAD_STORY_GONE = "I no longer have this story's details, so nothing was changed."
THREAD_FAILED = "Sorry, that failed on our side; nothing was changed. Try again shortly."
