"""The statistics dashboard for municipal staff, under /portaal/statistiek.

Staff see anonymised, suppressed figures only (never handoffs or conversations); administrators
also see the de-identified free text meant for improving the bot.
"""

from bot.web.dashboard.views import blueprint

__all__ = ["blueprint"]
