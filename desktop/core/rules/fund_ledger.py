"""The cooperation fund's ledger rules (劳务合作金共管账户), as pure functions over plain values.

* Every entry is an integer amount in 分 with a sign fixed by its kind: money in (opening, income,
  repayment) is positive, money out (advance, payout, return) negative; a reversal (冲正) carries
  the opposite sign of the entry it reverses. The balance is the sum of the entries.
* Money out starts as a request; it is paid (an entry is posted) only when ``required`` different
  signatories have approved it, one per signing party (双签批). Nobody signs their own request,
  nobody signs twice, and a party signs once.
* The balance never goes below zero unless an administrator's override (透支特批) covers the
  payment.
* A repayment is matched to the advances it repays; ``allocate_oldest_first`` proposes the match.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from desktop.core.money import format_fen


class EntryKind(enum.StrEnum):
    OPENING = "opening"  # 合作金拨入（期初）
    INCOME = "income"  # 收入：企业支付的劳务经济收益金、政策性补贴、企业补助……
    REPAYMENT = "repayment"  # 垫支收回
    ADVANCE = "advance"  # 垫支：交通费、体检费、培训费、途中伙食费
    PAYOUT = "payout"  # 其他支出（如拨付村级收益金）
    RETURN = "return"  # 合作期满返还合作金
    REVERSAL = "reversal"  # 冲正（与原分录方向相反）

    @property
    def label(self) -> str:
        return ENTRY_LABELS[self]

    @property
    def sign(self) -> int:
        """+1 money in, -1 money out; 0 for a reversal (its sign is the original's, flipped)."""
        return _SIGNS[self]

    @property
    def outgoing(self) -> bool:
        """Money out of the joint account: only through a request with the sign-offs."""
        return self.sign < 0


ENTRY_LABELS = {
    EntryKind.OPENING: "合作金拨入",
    EntryKind.INCOME: "收入",
    EntryKind.REPAYMENT: "垫支收回",
    EntryKind.ADVANCE: "垫支",
    EntryKind.PAYOUT: "支出",
    EntryKind.RETURN: "返还合作金",
    EntryKind.REVERSAL: "冲正",
}
_SIGNS = {
    EntryKind.OPENING: 1,
    EntryKind.INCOME: 1,
    EntryKind.REPAYMENT: 1,
    EntryKind.ADVANCE: -1,
    EntryKind.PAYOUT: -1,
    EntryKind.RETURN: -1,
    EntryKind.REVERSAL: 0,
}
REQUEST_KINDS = (EntryKind.ADVANCE, EntryKind.PAYOUT, EntryKind.RETURN)


class RequestStatus(enum.StrEnum):
    PENDING = "pending"  # 待签批
    PAID = "paid"  # 已签批并支付（已记账）
    REJECTED = "rejected"  # 签批人不同意
    CANCELLED = "cancelled"  # 申请人撤回

    @property
    def label(self) -> str:
        return {"pending": "待签批", "paid": "已支付", "rejected": "未同意", "cancelled": "已撤回"}[self.value]


def signed_amount(kind: EntryKind, amount_fen: int) -> int:
    """The entry's effect on the balance for a positive ``amount_fen`` of a non-reversal kind."""
    if amount_fen <= 0:
        raise ValueError("an entry amount is a positive number of 分")
    if kind is EntryKind.REVERSAL:
        raise ValueError("a reversal takes its sign from the entry it reverses")
    return kind.sign * amount_fen


def reversal_amount(original_signed_fen: int) -> int:
    """A reversal undoes the original exactly."""
    return -original_signed_fen


@dataclass(frozen=True)
class Signature:
    """One sign-off on a request: who, for which party, and whether they agreed."""

    username: str
    display_name: str
    party: str
    approved: bool


def signoff_problem(
    *,
    requester: str,
    signer: str,
    party: str,
    parties: Sequence[str],
    signatures: Sequence[Signature],
    signer_parties: Collection[str],
) -> str | None:
    """Why ``signer`` may not sign this request for ``party`` now, or None (plain Chinese)."""
    if party not in parties:
        return f"“{party}”不是共管账户的签批方（签批方为：{'、'.join(parties)}）。"
    if signer == requester:
        return "这笔支出申请是您本人提出的，不能由您本人签批。双签批须由申请人以外的两位签批人分别签字。"
    mine = next((s for s in signatures if s.username == signer), None)
    if mine is not None:
        return f"您已经以“{mine.party}”的身份签批过这笔申请，同一人不能签两次，请另一方签批人签批。"
    theirs = next((s for s in signatures if s.party == party), None)
    if theirs is not None:
        return f"“{party}”一方已由{theirs.display_name}签批，请另一方签批人签批。"
    if party not in signer_parties:
        return f"您不是本账户“{party}”一方登记的签批人，不能代表该方签批。签批人由管理员在账户设置中登记。"
    return None


def approvals(signatures: Sequence[Signature]) -> int:
    """Approvals from different people of different parties (the rules above keep them so)."""
    return len({(s.party, s.username) for s in signatures if s.approved})


def is_fully_signed(signatures: Sequence[Signature], required: int) -> bool:
    return not any(not s.approved for s in signatures) and approvals(signatures) >= required


def balance_problem(balance_fen: int, change_fen: int, *, override: bool) -> str | None:
    """Why posting ``change_fen`` would be refused (the balance would go below zero), or None."""
    after = balance_fen + change_fen
    if after >= 0 or change_fen >= 0 or override:
        return None
    return (
        f"账户余额 {format_fen(balance_fen)} 元，不够支付 {format_fen(-change_fen)} 元"
        f"（支付后将为 {format_fen(after)} 元）。请先登记收入或收回垫支；"
        "确需透支的，须由管理员办理“透支特批”并写明理由。"
    )


def allocate_oldest_first(amount_fen: int, outstanding: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Match a repayment to advances, oldest first: ``outstanding`` is (advance id, 分 still owed)
    in age order; returns (advance id, 分 repaid) pairs. ValueError if it repays more than is owed."""
    if amount_fen <= 0:
        raise ValueError("a repayment is a positive number of 分")
    left, out = amount_fen, []
    for advance_id, owed in outstanding:
        if left == 0:
            break
        take = min(left, owed)
        if take > 0:
            out.append((advance_id, take))
            left -= take
    if left:
        raise ValueError(f"repayment exceeds what is owed by {left} 分")
    return out


def allocation_problem(
    amount_fen: int, allocations: Sequence[tuple[int, int]], outstanding: dict[int, int]
) -> str | None:
    """Why a typed match of a repayment to advances is not acceptable, or None."""
    if not allocations:
        return "请选择这笔收回款归还的是哪几笔垫支。"
    seen: set[int] = set()
    for advance_id, fen in allocations:
        if advance_id in seen:
            return "同一笔垫支在收回明细中出现了两次，请合并。"
        seen.add(advance_id)
        if advance_id not in outstanding:
            return "所选的垫支已全部收回或已冲正，请刷新后重新选择。"
        if fen <= 0:
            return "每笔垫支的收回金额必须大于 0。"
        if fen > outstanding[advance_id]:
            return (f"一笔垫支只欠 {format_fen(outstanding[advance_id])} 元，"
                    f"不能收回 {format_fen(fen)} 元，请核对。")
    total = sum(fen for _, fen in allocations)
    if total != amount_fen:
        return (f"收回金额 {format_fen(amount_fen)} 元与各笔垫支的收回金额合计 {format_fen(total)} 元不一致，"
                "请核对。")
    return None
