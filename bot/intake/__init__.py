"""The intake: a resident's question put in order, step by step, and its summary."""
