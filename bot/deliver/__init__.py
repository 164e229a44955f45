"""Outbound Slack: the outbox worker, the poster, Block Kit rendering and escaping of outside text."""
