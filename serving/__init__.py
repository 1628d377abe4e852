"""Rasa plug-ins for serving (REST channel, lock store). Not model inputs, unlike components/:
changing them does not retrain the model."""
