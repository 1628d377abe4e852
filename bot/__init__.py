"""Wegwijs domain logic: answers, configuration, safety, intake and handoff.

Nothing in this package knows about Rasa trackers; `actions/` translates between the two.
"""
