"""What is kept of a conversation, for how long, and what residents are told about it."""
