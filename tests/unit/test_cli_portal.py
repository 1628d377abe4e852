"""`bot accounts ...` and `bot handoffs purge`, on a temporary SQLite database."""
import io
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from bot import accounts
from bot.cli import main
from bot.schema import handoffs
from tests.unit.test_handoff_store import full_record


def test_an_administrator_creates_accounts_from_the_command_line(configured_store, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("een lang wachtwoord\n"))
    assert main(["accounts", "create", "An@Meedenkers.example", "--name", "An", "--role", "supporter",
                 "--organisation", "meedenkers-voorbeeldstad"]) == 0
    assert "an@meedenkers.example (supporter) gemaakt" in capsys.readouterr().out
    assert accounts.authenticate(configured_store, "an@meedenkers.example", "een lang wachtwoord").name == "An"

    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["accounts", "create", "b@x.example", "--role", "staff"]) == 2
    assert "minstens 12 tekens" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("een lang wachtwoord\n"))
    assert main(["accounts", "create", "c@x.example", "--role", "supporter", "--organisation", "bestaat-niet"]) == 2
    assert "Onbekende organisatie" in capsys.readouterr().err
    assert main(["accounts", "list"]) == 0
    assert "an@meedenkers.example" in capsys.readouterr().out


def test_purge_deletes_what_ended_longer_ago_than_the_retention(configured_store, monkeypatch, capsys):
    old = configured_store.store(full_record(key="old")).reference
    recent = configured_store.store(full_record(key="recent")).reference
    configured_store.withdraw(old)
    configured_store.withdraw(recent)
    with configured_store.transaction() as session:
        session.execute(update(handoffs).where(handoffs.c.reference == old)
                        .values(withdrawn_at=datetime.now(timezone.utc) - timedelta(days=91)))
    assert main(["handoffs", "purge"]) == 0  # the default retention: 90 days
    assert "1 afgesloten of ingetrokken aanmelding(en) verwijderd (ouder dan 90 dagen)" in capsys.readouterr().out
    assert configured_store.get(old) is None and configured_store.get(recent) is not None
