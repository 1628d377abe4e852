"""Custom actions: read the tracker, call `bot/`, turn the result into messages and events."""
