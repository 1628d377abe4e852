"""`bot handoffs ...`: what the operator sees, on a temporary SQLite database."""

import getpass

import pytest
from sqlalchemy import select

from bot.ops.cli import main
from bot.storage.schema import audit_log
from tests.unit.handoff.test_handoff_store import full_record


def test_list_says_when_there_are_no_handoffs(configured_store, capsys):
    assert main(["handoffs", "list"]) == 0
    assert "Nog geen overdrachten (no handoffs yet)." in capsys.readouterr().out


def test_list_shows_the_newest_first(configured_store, capsys):
    older = configured_store.store(full_record(key="one")).reference
    newer = configured_store.store(full_record(key="two")).reference
    assert main(["handoffs", "list"]) == 0
    out = capsys.readouterr().out
    assert "Referentie" in out and "nieuw (new)" in out and "wijkteam-noord" in out
    assert out.index(newer) < out.index(older)
    assert main(["handoffs", "list", "--limit", "1"]) == 0
    assert older not in capsys.readouterr().out


def test_show_prints_every_field_with_a_label(configured_store, capsys):
    reference = configured_store.store(full_record()).reference
    assert main(["handoffs", "show", reference.lower()]) == 0
    out = capsys.readouterr().out
    for expected in (
        f"Referentie / reference            {reference}",
        "Status                            nieuw (new)",
        "wijkteam-noord, gekozen door inwoner (chosen)",
        "Toestemmingstekst / consent text  Ik geef toestemming",
        "Levensgebieden / life domains     geldzaken, wonen",
        "Situatie / situation              Mijn moeder heeft schulden",
        "Toegankelijkheid / accessibility  overgeslagen (skipped)",
        "Contactgegeven / contact detail   06 12345678",
    ):
        assert expected in out


def test_each_show_is_one_entry_in_the_organisations_audit_log(configured_store, capsys):
    reference = configured_store.store(full_record()).reference
    assert main(["handoffs", "show", reference]) == 0
    assert main(["handoffs", "list"]) == 0  # references and dates only: not audited
    with configured_store.transaction() as session:
        entries = session.execute(select(audit_log)).all()
    assert [(e.account_email, e.action, e.reference, e.organisation_id, e.detail) for e in entries] == [
        (f"cli:{getpass.getuser()}", "viewed", reference, "wijkteam-noord", "cli")
    ]


def test_withdraw_erases_and_says_so(configured_store, capsys):
    reference = configured_store.store(full_record()).reference
    assert main(["handoffs", "withdraw", reference]) == 0
    assert f"{reference} ingetrokken; vrije tekst en contactgegevens gewist." in capsys.readouterr().out
    assert configured_store.get(reference).status == "withdrawn"

    assert main(["handoffs", "show", reference]) == 0
    out = capsys.readouterr().out
    assert "ingetrokken (withdrawn)" in out and "Ingetrokken / withdrawn" in out
    assert "06 12345678" not in out and "schulden" not in out

    assert main(["handoffs", "withdraw", reference]) == 0
    assert "was al ingetrokken" in capsys.readouterr().out


@pytest.mark.parametrize("action", ["show", "withdraw"])
def test_an_unknown_reference_is_an_error(configured_store, capsys, action):
    assert main(["handoffs", action, "ww-zzzzzz"]) == 1
    captured = capsys.readouterr()
    assert "Onbekende referentie (unknown reference): WW-ZZZZZZ" in captured.err
    assert captured.out == ""


def test_a_fresh_database_is_migrated_by_the_first_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WEGWIJS_DATABASE_URL", f"sqlite:///{tmp_path / 'new' / 'wegwijs.db'}")
    assert main(["handoffs", "list"]) == 0
    assert "Nog geen overdrachten" in capsys.readouterr().out


def test_an_unreachable_database_is_reported(unreachable_database, capsys):
    assert main(["handoffs", "list"]) == 2
    assert "De database is niet bereikbaar" in capsys.readouterr().err


def test_the_existing_commands_still_work(configured_store, capsys):
    assert main(["check-config"]) == 0
    assert "Municipality: Voorbeeldstad" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["handoffs"])
    assert "list|show|withdraw" in capsys.readouterr().err
