"""Several campaign workers keep one provider rate between them through real Redis."""

from __future__ import annotations

import asyncio
import itertools
import uuid

import pytest
import redis

from campaigns.dispatch import RateLimiter
from campaigns.shared_limits import SharedRateLimiter
from tests.faults.tcp_proxy import TcpProxy

REDIS_URL = "redis://127.0.0.1:6379/5"

try:
    redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    HAS_REDIS = True
except redis.RedisError:
    HAS_REDIS = False

pytestmark = pytest.mark.skipif(not HAS_REDIS, reason="no Redis on 127.0.0.1:6379")


async def slots(limiters: list[RateLimiter], each: int) -> list[float]:
    async def take(limiter: RateLimiter) -> list[float]:
        return [await limiter.reserve("sms") for _ in range(each)]

    taken = await asyncio.gather(*(take(limiter) for limiter in limiters))
    return sorted(slot for mine in taken for slot in mine)


def test_three_workers_share_one_rate() -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}:"

    async def main() -> list[float]:
        workers = [SharedRateLimiter({"sms": 20.0}, REDIS_URL, prefix) for _ in range(3)]
        try:
            return await slots(list(workers), 30)
        finally:
            for worker in workers:
                await worker.close()

    taken = asyncio.run(main())
    gaps = [later - earlier for earlier, later in itertools.pairwise(taken)]
    assert len(taken) == 90
    assert min(gaps) >= 0.05 - 1e-6  # 20 a second between all three, not 20 each
    assert taken[-1] - taken[0] >= 89 * 0.05 - 1e-3


def test_local_limiters_alone_would_each_take_the_whole_rate() -> None:
    async def main() -> list[float]:
        return await slots([RateLimiter({"sms": 20.0}) for _ in range(3)], 30)

    taken = asyncio.run(main())
    assert taken[-1] - taken[0] < 30 * 0.05  # what the shared limiter is for


def test_redis_away_falls_back_to_this_workers_own_spacing() -> None:
    with TcpProxy("127.0.0.1", 6379) as proxy:
        url = proxy.url_for(REDIS_URL, 6379)
        proxy.cut()

        async def main() -> list[float]:
            worker = SharedRateLimiter({"sms": 20.0}, url, f"t{uuid.uuid4().hex[:8]}:")
            try:
                return await slots([worker], 5)
            finally:
                await worker.close()

        taken = asyncio.run(main())
    gaps = [later - earlier for earlier, later in itertools.pairwise(taken)]
    assert len(taken) == 5 and min(gaps) >= 0.05 - 1e-6
