"""The satisfaction survey after a conversation."""
