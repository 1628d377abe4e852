"""The handoff to a human supporter: the durable store, notifications and the supporters' casework."""
