"""The fund's pure rules: entry signs, the two sign-offs, the balance floor, repayment matching,
and the 劳务经济收益金 sharing arithmetic to the 分 (rules/fund_sharing.py documents the rule)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.rules.fund_ledger import (
    EntryKind,
    Signature,
    allocate_oldest_first,
    allocation_problem,
    balance_problem,
    is_fully_signed,
    reversal_amount,
    signed_amount,
    signoff_problem,
)
from desktop.core.rules.fund_sharing import (
    COUNTY_KEEPS,
    LARGEST_REMAINDER,
    VillageInput,
    distribute,
    split_proportional,
    village_uses,
)

PARTIES = ("县级劳务合作社", "人力资源服务企业")
COOP, COMPANY = PARTIES


def sig(user: str, party: str, approved: bool = True) -> Signature:
    return Signature(user, user, party, approved)


def test_signs_follow_the_kind() -> None:
    assert signed_amount(EntryKind.INCOME, 500) == 500
    assert signed_amount(EntryKind.ADVANCE, 500) == -500
    assert signed_amount(EntryKind.RETURN, 500) == -500
    assert reversal_amount(-500) == 500 and reversal_amount(700) == -700
    assert [k for k in EntryKind if k.outgoing] == [EntryKind.ADVANCE, EntryKind.PAYOUT, EntryKind.RETURN]
    with pytest.raises(ValueError):
        signed_amount(EntryKind.ADVANCE, 0)
    with pytest.raises(ValueError):
        signed_amount(EntryKind.REVERSAL, 10)


def problem(signer: str, party: str, signatures: list[Signature], signer_parties: set[str] | None = None) -> str | None:
    return signoff_problem(requester="clerk", signer=signer, party=party, parties=PARTIES, signatures=signatures,
                           signer_parties=signer_parties if signer_parties is not None else set(PARTIES))


def test_the_requester_cannot_approve() -> None:
    assert "本人提出" in (problem("clerk", COOP, []) or "")


def test_nobody_signs_twice_and_a_party_signs_once() -> None:
    first = [sig("li", COOP)]
    assert "不能签两次" in (problem("li", COMPANY, first) or "")
    assert "已由li签批" in (problem("wang", COOP, first) or "")
    assert problem("wang", COMPANY, first) is None


def test_only_registered_signatories_sign_for_a_party() -> None:
    assert "登记的签批人" in (problem("wang", COMPANY, [], {COOP}) or "")
    assert "不是共管账户的签批方" in (problem("wang", "乡镇", []) or "")


def test_complete_only_with_two_approvals_and_no_refusal() -> None:
    assert not is_fully_signed([], 2)
    assert not is_fully_signed([sig("li", COOP)], 2)
    assert is_fully_signed([sig("li", COOP), sig("wang", COMPANY)], 2)
    assert not is_fully_signed([sig("li", COOP), sig("wang", COMPANY, approved=False)], 2)


def test_balance_floor() -> None:
    assert balance_problem(1000, -1000, override=False) is None  # exactly zero is allowed
    assert "不够支付" in (balance_problem(1000, -1001, override=False) or "")
    assert balance_problem(1000, -1001, override=True) is None
    assert balance_problem(-50, 100, override=False) is None  # money in is always allowed


def test_repayments_match_oldest_first() -> None:
    assert allocate_oldest_first(700, [(1, 500), (2, 300), (3, 100)]) == [(1, 500), (2, 200)]
    with pytest.raises(ValueError):
        allocate_oldest_first(1000, [(1, 500), (2, 300)])


def test_a_typed_match_must_add_up() -> None:
    owed = {1: 500, 2: 300}
    assert allocation_problem(800, [(1, 500), (2, 300)], owed) is None
    assert "不一致" in (allocation_problem(700, [(1, 500), (2, 300)], owed) or "")
    assert "只欠" in (allocation_problem(600, [(1, 600)], owed) or "")
    assert "已全部收回" in (allocation_problem(100, [(9, 100)], owed) or "")
    assert "两次" in (allocation_problem(200, [(1, 100), (1, 100)], owed) or "")


# --- sharing -------------------------------------------------------------------------------------
def test_largest_remainder_gives_left_over_fen_to_the_largest_fractions() -> None:
    # 100 分 over 3 equal villages: 33.33 each; the 1 left-over 分 goes to the first (tie → order).
    assert split_proportional(100, [1, 1, 1]).shares == (34, 33, 33)
    # 1000 分 over workers 1, 2, 4 (of 7): 142.857, 285.714, 571.428 → fractions .857 .714 .428.
    split = split_proportional(1000, [1, 2, 4])
    assert split.shares == (143, 286, 571) and split.kept == 0


def test_county_keeps_rule_keeps_the_left_over() -> None:
    split = split_proportional(1000, [1, 2, 4], COUNTY_KEEPS)
    assert split.shares == (142, 285, 571) and split.kept == 2


def test_nobody_sent_keeps_the_whole_pool() -> None:
    assert split_proportional(500, [0, 0]).kept == 500
    d = distribute(500, [], reward_bp=3000, public_works_bp=4000)
    assert d.county_kept == 500 and d.villages == ()


def test_village_uses_round_down_and_work_funds_take_the_rest() -> None:
    uses = village_uses(1001, 3000, 4000)  # 300.3 → 300, 400.4 → 400, rest 301
    assert (uses.reward, uses.public_works, uses.work_funds) == (300, 400, 301)
    with pytest.raises(ValueError):
        village_uses(100, 6000, 5000)


def test_distribution_worked_example() -> None:
    # 10 000.00 元 paid for 7 workers: 甲村 3 (broker A 2, B 1), 乙村 4 (broker C 3, one without broker).
    villages = [
        VillageInput("532524100201", 3, (("A", 2), ("B", 1))),
        VillageInput("532524100202", 4, (("C", 3),)),
    ]
    d = distribute(1_000_000, villages, reward_bp=3000, public_works_bp=4000, rule=LARGEST_REMAINDER)
    jia, yi = d.villages
    # exact shares 428 571.43 and 571 428.57 分: the left-over 分 goes to 乙村 (fraction .57 > .43)
    assert (jia.uses.amount, yi.uses.amount) == (428_571, 571_429)
    assert (jia.uses.reward, jia.uses.public_works, jia.uses.work_funds) == (128_571, 171_428, 128_572)
    assert jia.broker_rewards == (("A", 85_714), ("B", 42_857)) and jia.reward_unallocated == 0
    assert (yi.uses.reward, yi.uses.public_works, yi.uses.work_funds) == (171_428, 228_571, 171_430)
    assert yi.broker_rewards == (("C", 128_571),) and yi.reward_unallocated == 42_857
    assert d.distributed == 1_000_000 and d.county_kept == 0


@given(
    pool=st.integers(min_value=0, max_value=10**10),
    workers=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=12),
    reward=st.integers(min_value=0, max_value=5000),
    public=st.integers(min_value=0, max_value=5000),
    rule=st.sampled_from([LARGEST_REMAINDER, COUNTY_KEEPS]),
)
def test_not_a_fen_is_lost_or_made(pool: int, workers: list[int], reward: int, public: int, rule: str) -> None:
    villages = [VillageInput(f"{i:012d}", n, (("b", n // 2),) if n else ()) for i, n in enumerate(workers)]
    d = distribute(pool, villages, reward_bp=reward, public_works_bp=public, rule=rule)
    assert d.distributed + d.county_kept == pool
    total = sum(workers)
    for v, n in zip(d.villages, workers, strict=True):
        u = v.uses
        assert u.reward + u.public_works + u.work_funds == u.amount
        assert sum(f for _, f in v.broker_rewards) + v.reward_unallocated == u.reward
        if total:  # each village within one 分 of its exact share
            assert abs(u.amount * total - pool * n) < total
    if rule == LARGEST_REMAINDER and total:
        assert d.county_kept == 0
