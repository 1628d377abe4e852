"""Dutch labels for coded values in the portal, and the short messages its pages show (B1 level)."""
from bot.contract import (ADMINISTRATOR, CLOSED, COORDINATOR, NEW, NO_RUSH, PICKED_UP, SOON, STAFF, SUPPORTER, URGENT,
                          WITHDRAWN)

LABELS = {
    "status": {NEW: "Nieuw", PICKED_UP: "Opgepakt", CLOSED: "Afgesloten", WITHDRAWN: "Ingetrokken"},
    "outcome": {"contacted": "Contact gehad", "referred": "Doorverwezen (sluit af)",
                "closed": "Afgesloten met reden"},
    "event": {
        "created": "Aangemeld door de inwoner", "picked_up": "Opgepakt", "note": "Notitie",
        "contacted": "Contact gehad", "referred": "Doorverwezen", "closed": "Afgesloten",
        "reassigned": "Doorgezet naar", "withdrawn": "Ingetrokken door de inwoner",
        "notified": "Organisatie bericht gestuurd",
    },
    "role": {SUPPORTER: "Ondersteuner", COORDINATOR: "Coördinator", ADMINISTRATOR: "Beheerder",
             STAFF: "Medewerker gemeente (statistiek)"},
    "audit": {"viewed": "bekeken", "printed": "afgedrukt", "picked_up": "opgepakt", "note": "notitie",
              "contacted": "contact gehad", "referred": "doorverwezen", "closed": "afgesloten",
              "reassigned": "doorgezet", "deleted": "verwijderd (bewaartermijn)",
              "login": "ingelogd", "login_failed": "inloggen mislukt", "logout": "uitgelogd",
              "account_created": "account gemaakt", "account_blocked": "account geblokkeerd",
              "account_activated": "account weer actief", "password_link": "nieuwe wachtwoordlink",
              "password_set": "wachtwoord ingesteld", "password_changed": "wachtwoord veranderd",
              "second_factor_enrolled": "tweede stap ingesteld", "second_factor_reset": "tweede stap gewist",
              "statistics_viewed": "statistiek bekeken", "statistics_exported": "statistiek gedownload (CSV)",
              "free_text_viewed": "vrije tekst bekeken"},
    # A coded detail of an audit entry; others (a role, a figure) are shown through their own labels.
    "audit_detail": {"password": "verkeerd wachtwoord", "unknown_account": "onbekend e-mailadres",
                     "second_factor": "verkeerde code", "blocked": "account geblokkeerd", "totp": "met code uit de app",
                     "recovery_code": "met een herstelcode", "enrolled": "eerste keer met de app"},
    "urgency": {URGENT: "Zo snel mogelijk", SOON: "Binnen een paar weken", NO_RUSH: "Geen haast"},
    "month": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"),
    "choice": {"chosen": "gekozen door de inwoner", "matched": "voorgesteld door Wegwijs", "none": "geen"},
}

MESSAGES = {
    "login_needed": "Log in om deze pagina te zien.",
    "login_failed": "Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw.",
    "too_many": "U heeft te vaak iets verkeerds ingevuld. Wacht een kwartier en probeer het dan opnieuw.",
    "second_step_expired": "Log opnieuw in. Na het wachtwoord heeft u 5 minuten voor de code.",
    "code_wrong": "Deze code klopt niet. Kijk in de app en typ de code die u nu ziet.",
    "second_factor_set": "Uw tweede stap is al ingesteld.",
    "link_dead": "Deze link werkt niet meer. Vraag de beheerder om een nieuwe link.",
    "password_wrong": "Uw huidige wachtwoord klopt niet.",
    "password_raced": "Uw wachtwoord is net ergens anders veranderd. Probeer het opnieuw.",
    "logged_out": "U bent uitgelogd.",
    "password_different": "De twee nieuwe wachtwoorden zijn niet gelijk.",
    "password_set": "Uw wachtwoord is ingesteld. Log nu in.",
    "password_changed": "Uw wachtwoord is veranderd. Op andere apparaten bent u uitgelogd.",
    "saved": "Opgeslagen.",
    "own_account": "U kunt uw eigen account hier niet veranderen.",
    "second_factor_reset": "De tweede stap is gewist. Bij de volgende keer inloggen stelt de eigenaar hem opnieuw in.",
}


def explain(error: Exception) -> str:
    """The Dutch text of an error raised with a key of MESSAGES; other errors carry their own text."""
    return MESSAGES.get(str(error), str(error))
