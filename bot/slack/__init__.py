"""Inbound Slack: the Bolt app, middleware, /lookout commands, App Home, shortcuts, thread mentions."""
