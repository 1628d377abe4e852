"""Rasa's RedisLockStore with atomic ticket handling, for several Rasa replicas.

Rasa Open Source 3.6 reads a conversation's ticket lock from Redis, changes it in Python and writes it
back: two replicas taking a ticket for the same conversation at the same moment can both get the same
ticket and process the conversation at once (the upstream fix, RasaHQ/rasa PR #11256, was reverted in
#11428). Here every read-change-write runs in a Redis transaction (WATCH/MULTI, retried when another
process changed the lock in between), so each ticket is handed out once and no release overwrites a
ticket issued meanwhile. Everything else (waiting, lifetimes, key names) is Rasa's own.

endpoints: `lock_store: {type: serving.redis_lock_store.AtomicRedisLockStore, url: HOST, port: ..}`
"""
from __future__ import annotations

import json
from typing import Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")
# Returns the lock to keep (None: delete the key) and what the caller gets back.
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: Text, change: Change) -> Result:
        key = self.key_prefix + conversation_id

        def attempt(pipe) -> Result:  # redis-py repeats this when the watched key changed
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            kept, result = change(lock)
            pipe.multi()
            if kept is None:
                pipe.delete(key)
            else:
                pipe.set(key, kept.dumps())
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as error:  # Rasa's contract: any failure here is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def expire(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._release(conversation_id, ticket_number, delete_when_idle=False)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        self._release(conversation_id, ticket_number, delete_when_idle=True)

    def _release(self, conversation_id: Text, ticket_number: int, delete_when_idle: bool) -> None:
        def release(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
                if delete_when_idle and not lock.is_someone_waiting():
                    lock = None
            return lock, None

        self._change(conversation_id, release)
