"""Dutch labels for coded values in the portal."""
LABELS = {
    "status": {"new": "Nieuw", "picked_up": "Opgepakt", "closed": "Afgesloten", "withdrawn": "Ingetrokken"},
    "outcome": {"contacted": "Contact gehad", "referred": "Doorverwezen (sluit af)",
                "closed": "Afgesloten met reden"},
    "event": {
        "created": "Aangemeld door de inwoner", "picked_up": "Opgepakt", "note": "Notitie",
        "contacted": "Contact gehad", "referred": "Doorverwezen", "closed": "Afgesloten",
        "reassigned": "Doorgezet naar", "withdrawn": "Ingetrokken door de inwoner",
        "notified": "Organisatie bericht gestuurd",
    },
    "role": {"supporter": "Ondersteuner", "coordinator": "Coördinator", "administrator": "Beheerder",
             "staff": "Medewerker gemeente (statistiek)"},
    "audit": {"viewed": "bekeken", "printed": "afgedrukt", "picked_up": "opgepakt", "note": "notitie",
              "contacted": "contact gehad", "referred": "doorverwezen", "closed": "afgesloten",
              "reassigned": "doorgezet", "deleted": "verwijderd (bewaartermijn)"},
    "urgency": {"urgent": "Zo snel mogelijk", "soon": "Binnen een paar weken", "no_rush": "Geen haast"},
    "choice": {"chosen": "gekozen door de inwoner", "matched": "voorgesteld door Wegwijs", "none": "geen"},
}
