"""Rasa's RedisLockStore with atomic ticket handling, for several Rasa replicas.

Rasa Open Source 3.6 reads a conversation's ticket lock from Redis, changes it in Python and writes it
back: two replicas taking a ticket for the same conversation at the same moment can both get the same
ticket and process the conversation at once (the upstream fix, RasaHQ/rasa PR #11256, was reverted in
#11428). Here every read-change-write is a Lua script, which Redis runs alone: each ticket is handed
out once and no release overwrites a ticket issued meanwhile. A script is also one round trip where a
WATCH/GET/MULTI/EXEC transaction took three (py-spy: the lock was 6% of a replica's CPU per message).
The lock is stored exactly as Rasa's TicketLock.dumps() writes it (its tickets are JSON strings), so
Rasa's own reading (waiting, lifetimes, key names) stays as it is.

endpoints: `lock_store: {type: serving.redis_lock_store.AtomicRedisLockStore, url: HOST, port: ..}`
"""

from __future__ import annotations

import time
from typing import Text

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# The lock's unexpired tickets (as stored) and the number of the last one, -1 when none: TicketLock's
# remove_expired_tickets and last_issued. A ticket has expired when now > expires.
_UNEXPIRED = """
local function unexpired(lock, now, leave_out)
  local kept, last = {}, -1
  for _, text in ipairs(lock.tickets) do
    local ticket = cjson.decode(text)
    if ticket.expires >= now and ticket.number ~= leave_out then
      kept[#kept + 1] = text
      last = ticket.number
    end
  end
  return kept, last
end
local raw = redis.call('GET', KEYS[1])
"""
# ARGV: conversation id, now, the new ticket's expiry (as Python writes the float). Returns its number.
_ISSUE = (
    _UNEXPIRED
    + """
local lock = raw and cjson.decode(raw) or {conversation_id = ARGV[1], tickets = {}}
local kept, last = unexpired(lock, tonumber(ARGV[2]), nil)
kept[#kept + 1] = string.format('{"number": %d, "expires": %s}', last + 1, ARGV[3])
lock.tickets = kept
redis.call('SET', KEYS[1], cjson.encode(lock))
return last + 1
"""
)
# ARGV: the ticket to remove (-1: none), now, '1' to delete the lock when no ticket is left.
_RELEASE = (
    _UNEXPIRED
    + """
if not raw then return 0 end
local lock = cjson.decode(raw)
lock.tickets = unexpired(lock, tonumber(ARGV[2]), tonumber(ARGV[1]))
if #lock.tickets == 0 and ARGV[3] == '1' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], cjson.encode(lock))
end
return 0
"""
)


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)
        self._issue = self.red.register_script(_ISSUE)
        self._release_script = self.red.register_script(_RELEASE)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        now = time.time()
        try:
            return int(
                self._issue(
                    keys=[self.key_prefix + conversation_id],
                    args=[conversation_id, repr(now), repr(now + lock_lifetime)],
                )
            )
        except Exception as error:  # Rasa's contract: any failure here is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        self._release(conversation_id, -1, delete_when_idle=False)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._release(conversation_id, ticket_number, delete_when_idle=False)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        self._release(conversation_id, ticket_number, delete_when_idle=True)

    def _release(self, conversation_id: Text, ticket_number: int, delete_when_idle: bool) -> None:
        self._release_script(
            keys=[self.key_prefix + conversation_id],
            args=[ticket_number, repr(time.time()), "1" if delete_when_idle else "0"],
        )
