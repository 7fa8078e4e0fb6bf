"""Sharing the 劳务经济收益金 (labour economic income) to the 分 — pure arithmetic, no database.

The rule, step by step (``fund.remainder_rule`` in the profile picks how left-over 分 are placed):

1. **Villages.** The 劳务经济收益金 an agreement's company paid into the joint account in a period
   (the pool, in 分) is split between the village cooperatives in proportion to the workers each
   sent under that agreement in the period. Each village first gets the whole 分 of its exact
   share, ``floor(pool × workers ÷ all workers)``; fewer 分 than there are villages are left over.
   * ``largest_remainder`` (最大余数法): the left-over 分 go one each to the villages whose exact
     share had the largest fractional part; equal fractions go in the order given (by village
     code), so the result never depends on chance.
   * ``county_keeps``: the left-over 分 stay with the county cooperative and are shown as 县级留存.
2. **Uses within a village** (村级收益用途). Of a village's amount, the brokers' performance reward
   (经纪人绩效奖励) and the village public works (村公益事业) parts are the agreed percentages rounded
   *down* to the 分; the work-funds part (工作经费) is what is left, so the three parts always add
   up to the village's amount exactly.
3. **Brokers.** The reward part is split between the village's brokers in proportion to the
   workers each mobilised, with step 1's rule for the left-over 分 (under ``county_keeps`` they
   stay in the village's reward part as 未分配). Workers without a broker count for no one: their
   share of the reward part stays unallocated in the village.

When no worker was sent in the period the whole pool stays with the county cooperative.

Percentages are exact integers in basis points (30 % = 3000), so nothing is ever rounded twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LARGEST_REMAINDER = "largest_remainder"
COUNTY_KEEPS = "county_keeps"
REMAINDER_RULES = (LARGEST_REMAINDER, COUNTY_KEEPS)
FULL_BP = 10_000  # 100 % in basis points


@dataclass(frozen=True)
class Split:
    """``shares[i]`` for ``weights[i]``; ``kept`` 分 not given to anyone (0 under largest remainder)."""

    shares: tuple[int, ...]
    kept: int


def split_proportional(total_fen: int, weights: Sequence[int], rule: str = LARGEST_REMAINDER) -> Split:
    """Split ``total_fen`` in proportion to ``weights`` with the remainder rule described above."""
    if rule not in REMAINDER_RULES:
        raise ValueError(f"unknown remainder rule {rule!r}")
    if total_fen < 0 or any(w < 0 for w in weights):
        raise ValueError("amounts and weights are non-negative")
    whole = sum(weights)
    if whole == 0:
        return Split(tuple(0 for _ in weights), total_fen)
    floors = [total_fen * w // whole for w in weights]
    left = total_fen - sum(floors)
    if rule == COUNTY_KEEPS:
        return Split(tuple(floors), left)
    # Largest fractional part first; a stable sort keeps the given order among equal parts.
    order = sorted(range(len(weights)), key=lambda i: -(total_fen * weights[i] % whole))
    for i in order[:left]:
        floors[i] += 1
    return Split(tuple(floors), 0)


@dataclass(frozen=True)
class VillageUses:
    """A village's amount in its three uses; ``reward + public_works + work_funds == amount``."""

    amount: int
    reward: int
    public_works: int
    work_funds: int


def village_uses(amount_fen: int, reward_bp: int, public_works_bp: int) -> VillageUses:
    """Step 2: reward and public-works parts rounded down, the rest is work funds."""
    if not (0 <= reward_bp and 0 <= public_works_bp and reward_bp + public_works_bp <= FULL_BP):
        raise ValueError("the reward and public-works percentages must add up to at most 100 %")
    if amount_fen < 0:
        raise ValueError("amounts are non-negative")
    reward = amount_fen * reward_bp // FULL_BP
    public = amount_fen * public_works_bp // FULL_BP
    return VillageUses(amount_fen, reward, public, amount_fen - reward - public)


@dataclass(frozen=True)
class VillageInput:
    """One village cooperative in a period: workers sent, and workers per broker."""

    key: str  # the village cooperative's region code (orders ties)
    workers: int
    broker_workers: tuple[tuple[str, int], ...] = ()  # (broker key, workers mobilised)


@dataclass(frozen=True)
class VillageShare:
    key: str
    workers: int
    uses: VillageUses
    broker_rewards: tuple[tuple[str, int], ...]
    reward_unallocated: int  # reward 分 no broker receives (workers without a broker, kept 分)


@dataclass(frozen=True)
class Distribution:
    pool: int
    villages: tuple[VillageShare, ...]
    county_kept: int  # 分 left with the county cooperative (county_keeps rule only)

    @property
    def distributed(self) -> int:
        return sum(v.uses.amount for v in self.villages)


def distribute(
    pool_fen: int,
    villages: Sequence[VillageInput],
    *,
    reward_bp: int,
    public_works_bp: int,
    rule: str = LARGEST_REMAINDER,
) -> Distribution:
    """Steps 1–3 for one agreement and period. ``villages`` in code order (ties follow it)."""
    split = split_proportional(pool_fen, [v.workers for v in villages], rule)
    out: list[VillageShare] = []
    for village, amount in zip(villages, split.shares, strict=True):
        uses = village_uses(amount, reward_bp, public_works_bp)
        with_broker = sum(n for _, n in village.broker_workers)
        if with_broker > village.workers:
            raise ValueError(f"village {village.key}: brokers mobilised more workers than were sent")
        # The reward part is first split between "workers with a broker" and "without" …
        brokered = split_proportional(uses.reward, [with_broker, village.workers - with_broker], rule)
        # … then the brokered part between the brokers.
        per_broker = split_proportional(brokered.shares[0], [n for _, n in village.broker_workers], rule)
        rewards = tuple((key, fen) for (key, _), fen in zip(village.broker_workers, per_broker.shares, strict=True))
        unallocated = uses.reward - sum(fen for _, fen in rewards)
        out.append(VillageShare(village.key, village.workers, uses, rewards, unallocated))
    kept = split.kept if villages else pool_fen
    return Distribution(pool_fen, tuple(out), kept)
