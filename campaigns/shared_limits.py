"""Send rates shared by every campaign worker through Redis.

`RateLimiter` spaces one process's sends; with several workers each would take the whole
provider limit. When `PARLEY_REDIS_URL` is set, the workers take their slots from one
Redis counter per channel instead, so N workers together keep `PARLEY_RATE_*`. Slots are
instants on the wall clock, which the workers' machines share through NTP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from campaigns.dispatch import RateLimiter

logger = logging.getLogger(__name__)

# Take the next free slot of a channel and move it on by one gap, atomically: KEYS[1] is
# the channel's key, ARGV the current time and the gap (seconds, as strings).
RESERVE = """
local now = tonumber(ARGV[1])
local gap = tonumber(ARGV[2])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], tostring(slot + gap), 'EX', 3600)
return tostring(slot)
"""


class SharedRateLimiter(RateLimiter):
    """A `RateLimiter` whose slots come from Redis; this process's own spacing if Redis
    is away, so a Redis outage slows nothing down and sends nothing twice."""

    def __init__(
        self,
        rates: Mapping[str, float],
        redis_url: str,
        prefix: str = "parley:send-slot:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(rates, clock=clock)
        self._redis = aioredis.Redis.from_url(redis_url, socket_timeout=2)
        self._reserve = self._redis.register_script(RESERVE)
        self._prefix = prefix

    async def reserve(self, channel: str) -> float:
        gap = self._gap.get(channel, 0.0)
        if gap <= 0:
            return await super().reserve(channel)
        try:
            slot = await self._reserve(
                keys=[self._prefix + channel], args=[repr(self._clock()), repr(gap)]
            )
        except RedisError as error:
            logger.warning("shared send rate unavailable, spacing %s locally: %s", channel, error)
            return await super().reserve(channel)
        return float(slot)

    async def close(self) -> None:
        await self._redis.close(close_connection_pool=True)
