"""The web edge: one Flask application (app.py) with the widget, the portal and the dashboard."""
