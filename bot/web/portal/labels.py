"""Labels for coded values in the portal, and the short messages its pages show, from the text catalogue
(bot/catalogue/nl/portal.yml; urgency from handoff.yml, the one label per code the mail and summary use;
languages from dashboard.yml, the Dutch names the statistics and the mail use too)."""

from bot import catalogue

LABELS = {
    **catalogue.entry("portal.labels"),
    "urgency": {
        code: catalogue.first_upper(label)
        for code, label in catalogue.entry("handoff.urgency").items()
        if code not in ("described", "unknown")
    },
    "language": catalogue.entry("dashboard.languages"),
}
MESSAGES = catalogue.entry("portal.messages")


def explain(error: Exception) -> str:
    """The Dutch text of an error raised with a key of MESSAGES; other errors carry their own text."""
    return MESSAGES.get(str(error), str(error))
