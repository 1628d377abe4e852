"""Withdrawing this conversation's handoff: confirmation first, then the data is erased."""

from actions.withdrawal import ActionConfirmWithdrawal, ActionWithdrawHandoff
from bot.storage.schema import notifications
from tests.unit.actions.test_intake_actions import submit
from tests.unit.actions_support import run, tracker_after, user_event

WITHDRAW = [{"entity": "choice", "value": "withdraw"}]


def test_without_a_handoff_in_this_conversation_nothing_can_be_withdrawn(configured_store):
    messages, _ = run(ActionConfirmWithdrawal(), tracker_after(user_event("withdraw_handoff")))
    assert "geen aanvraag doorgegeven" in messages[0]["text"] and "0123-456 789" in messages[0]["text"]
    messages, _ = run(ActionWithdrawHandoff(), tracker_after(user_event("choose", entities=WITHDRAW)))
    assert "geen aanvraag doorgegeven" in messages[0]["text"]


def test_the_resident_confirms_and_their_words_and_contact_are_erased(configured_store):
    _, events = submit("meedenkers-voorbeeldstad")
    reference = events[0]["value"]
    slots = {"handoff_reference": reference}

    asked, _ = run(ActionConfirmWithdrawal(), tracker_after(user_event("withdraw_handoff"), slots=slots))
    assert reference in asked[0]["text"]
    assert [b["payload"] for b in asked[0]["buttons"]] == ['/choose{"choice": "withdraw"}', "/deny"]
    assert configured_store.get(reference).status == "new"  # asking changes nothing

    done, _ = run(
        ActionWithdrawHandoff(), tracker_after(user_event("choose", entities=WITHDRAW), slots=slots)
    )
    assert "is ingetrokken" in done[0]["text"]
    withdrawn = configured_store.get(reference)
    assert withdrawn.status == "withdrawn"
    assert withdrawn.intake.situation is None and withdrawn.intake.contact_detail is None


def test_yes_in_words_also_confirms(configured_store):
    _, events = submit("meedenkers-voorbeeldstad")
    slots = {"handoff_reference": events[0]["value"]}
    run(ActionWithdrawHandoff(), tracker_after(user_event("affirm", "ja"), slots=slots))
    assert configured_store.get(events[0]["value"]).status == "withdrawn"


def test_an_unreachable_database_changes_nothing_and_offers_a_retry(unreachable_database):
    messages, _ = run(
        ActionWithdrawHandoff(),
        tracker_after(user_event("choose", entities=WITHDRAW), slots={"handoff_reference": "WW-ABC234"}),
    )
    assert "lukt nu niet" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == '/choose{"choice": "withdraw"}'


def test_the_handoff_message_offers_withdrawal_and_the_organisation_is_notified(configured_store):
    messages, _ = submit("meedenkers-voorbeeldstad")
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert {"title": "Aanvraag intrekken", "payload": "/withdraw_handoff"} in buttons
    with configured_store.transaction() as session:
        queued = session.execute(notifications.select()).all()
    assert [(n.channel, n.target, n.status) for n in queued] == [
        ("email", "aanmeldingen@voorbeeldstad.example", "pending")
    ]
