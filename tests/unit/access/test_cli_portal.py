"""`bot accounts ...` and `bot handoffs purge`, on a temporary SQLite database."""

import getpass
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.access import accounts
from bot.ops.cli import main
from bot.settings import read_settings
from bot.storage.schema import audit_log, handoffs
from tests.unit.handoff.test_handoff_store import full_record


def test_an_administrator_creates_accounts_from_the_command_line(configured_store, capsys):
    assert (
        main(
            [
                "accounts",
                "create",
                "An@Meedenkers.example",
                "--name",
                "An",
                "--role",
                "supporter",
                "--organisation",
                "meedenkers-voorbeeldstad",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "an@meedenkers.example (supporter) gemaakt" in out
    token = re.search(r"/portaal/wachtwoord-instellen/(\S+)", out).group(1)
    secret = read_settings().secret_key
    with pytest.raises(accounts.AccountError, match="minstens 12 tekens"):
        accounts.set_password_from_link(configured_store, token, secret, "kort")
    accounts.set_password_from_link(configured_store, token, secret, "een lang wachtwoord")
    assert (
        accounts.authenticate(configured_store, "an@meedenkers.example", "een lang wachtwoord").name == "An"
    )
    with pytest.raises(accounts.AccountError, match="link_dead"):  # the link works once
        accounts.set_password_from_link(configured_store, token, secret, "een ander lang wachtwoord")

    assert main(["accounts", "link", "an@meedenkers.example"]) == 0
    fresh = re.search(r"/portaal/wachtwoord-instellen/(\S+)", capsys.readouterr().out).group(1)
    accounts.set_password_from_link(configured_store, fresh, secret, "een ander lang wachtwoord")
    assert accounts.authenticate(configured_store, "an@meedenkers.example", "een lang wachtwoord") is None

    assert main(["accounts", "reset-second-factor", "an@meedenkers.example"]) == 0
    assert "is gewist" in capsys.readouterr().out
    assert main(["accounts", "link", "niemand@x.example"]) == 2

    assert (
        main(["accounts", "create", "c@x.example", "--role", "supporter", "--organisation", "bestaat-niet"])
        == 2
    )
    assert "Onbekende organisatie" in capsys.readouterr().err
    assert main(["accounts", "list"]) == 0
    assert "an@meedenkers.example" in capsys.readouterr().out
    with configured_store.transaction() as session:
        logged = session.execute(
            select(audit_log.c.account_email, audit_log.c.action, audit_log.c.subject_email).where(
                audit_log.c.action.in_(("account_created", "password_link", "second_factor_reset"))
            )
        ).all()
    operator = f"cli:{getpass.getuser()}"
    assert [tuple(row) for row in logged] == [
        (operator, "account_created", "an@meedenkers.example"),
        (operator, "password_link", "an@meedenkers.example"),
        (operator, "second_factor_reset", "an@meedenkers.example"),
    ]


def test_purge_deletes_what_ended_longer_ago_than_the_retention(configured_store, monkeypatch, capsys):
    old = configured_store.store(full_record(key="old")).reference
    recent = configured_store.store(full_record(key="recent")).reference
    configured_store.withdraw(old)
    configured_store.withdraw(recent)
    with configured_store.transaction() as session:
        session.execute(
            update(handoffs)
            .where(handoffs.c.reference == old)
            .values(withdrawn_at=datetime.now(timezone.utc) - timedelta(days=91))
        )
    assert main(["handoffs", "purge"]) == 0  # the default retention: 90 days
    assert (
        "1 afgesloten of ingetrokken aanmelding(en) verwijderd (ouder dan 90 dagen)"
        in capsys.readouterr().out
    )
    assert configured_store.get(old) is None and configured_store.get(recent) is not None
