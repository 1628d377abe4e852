"""Anonymised conversation statistics: the satisfaction survey's answers, the statistics table built
from Rasa's tracker store, small-cell suppression, de-identified free text and retention.

No Rasa imports: the tracker store is read as plain SQL rows of JSON events.
"""
