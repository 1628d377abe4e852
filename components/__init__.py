"""Custom Rasa NLU components. They adapt `bot/` logic to Rasa's graph; the logic lives in `bot/`."""
