"""The claim roster (服务补助申领名册) of a batch as PDF (A4 landscape) and .xlsx, audited.

Rows are the live claims of the batch; the total is printed in figures and in Chinese capitals
(大写金额), and a second table sums the claims per broker (the subsidy is paid to the broker).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.core.audit import AuditFact, record_event
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.excel.table_xlsx import write_table_xlsx
from desktop.core.documents.pdf.table_pdf import render_table_pdf
from desktop.core.documents.table_document import Column, Table, TableDocument
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.transfer import ClaimStatus, SubsidyClaimBatch, SubsidyClaimRow
from desktop.core.money import amount_in_chinese_capitals, yuan_text
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.transfers import months_text
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.subsidy import batch_lines, rules_of

ROSTER_COLUMNS = (
    Column("序号", 10), Column("劳务经纪人", 20), Column("劳动力姓名", 20), Column("性别", 10),
    Column("身份证号码", 40, text=True), Column("就业单位名称", 52, "l"), Column("劳动合同期限", 26),
    Column("入职日期", 24), Column("参加社保", 14), Column("脱贫人口", 14), Column("补助金额（元）", 24, "r"),
)
BROKER_COLUMNS = (
    Column("序号", 12), Column("劳务经纪人", 30), Column("身份证号码", 45, text=True), Column("人数", 18, "r"),
    Column("补助金额（元）", 30, "r"),
)
SIGNATURE = ("填报单位（盖章）：\u3000\u3000\u3000\u3000\u3000\u3000", "经办人：\u3000\u3000\u3000\u3000",
             "审核人：\u3000\u3000\u3000\u3000", "填报日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日")


def yuan(fen: int) -> Decimal:
    """An amount for a table cell: exact 元 with two decimals (never a float)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class RosterResult:
    xlsx: Path
    pdf: Path
    people: int
    total_fen: int
    capitals: str
    pages: int


def claim_roster(session: Session, profile: PolicyProfile, batch_id: int, center_name: str, *,
                 full: bool = False) -> TableDocument:
    rules = rules_of(profile)
    batch = session.get(SubsidyClaimBatch, batch_id)
    if batch is None:
        raise UserError(f"没有第 {batch_id} 批服务补助申领。")
    lines = [x for x in batch_lines(session, profile, batch_id, full=full) if x.status == ClaimStatus.CLAIMED.value]
    rows = [(i, x.broker_name, x.worker_name, x.gender, x.id_number, x.employer_name, x.contract_term,
             f"{x.hire_date:%Y-%m-%d}", "是" if x.social_insurance else "否", "是" if x.poverty_alleviated else "否",
             yuan(x.amount_fen)) for i, x in enumerate(lines, 1)]
    total = sum(x.amount_fen for x in lines)
    per_broker: dict[int, list] = {}
    for x in lines:
        entry = per_broker.setdefault(x.broker_id, [x.broker_name, x.broker_id_number, 0, 0])
        entry[2] += 1
        entry[3] += x.amount_fen
    broker_rows = [(i, name, number, n, yuan(fen)) for i, (name, number, n, fen) in
                   enumerate(sorted(per_broker.values(), key=lambda e: (-e[3], e[0])), 1)]
    capitals = amount_in_chinese_capitals(total)
    footer = ("合计", "", f"{len(lines)} 人", "", "", "", "", "", "", "", yuan(total))
    conditions = (f"补助标准 {rules.amount_yuan} 元/人。条件：组织脱贫人口到{'或'.join(rules.employer_types)}就业，"
                  f"协助签订{months_text(rules.min_contract_months)}以上劳动合同并参加社会保险；"
                  f"同一劳动力补助期（自入职当月起 {rules.min_contract_months} 个月）内只申领一次。")
    return TableDocument(
        title=batch.title,
        tables=[Table(ROSTER_COLUMNS, rows, footer_row=footer),
                Table(BROKER_COLUMNS, broker_rows, heading="按劳务经纪人汇总",
                      footer_row=("合计", f"{len(broker_rows)} 位经纪人", "", len(lines), yuan(total)))],
        left_note=f"填报单位：{center_name}\u3000\u3000第 {batch.id} 批",
        right_note=f"入职期间：{batch.period_from:%Y年%m月%d日}至{batch.period_to:%Y年%m月%d日}",
        after=(f"合计：{len(lines)} 人，补助金额 {yuan_text(total)} 元；人民币（大写）：{capitals}。", conditions),
        signature=SIGNATURE,
        landscape=True,
        sheet_name="申领名册",
    )


def write_claim_roster(session: Session, user: SignedInUser, profile: PolicyProfile, batch_id: int,
                       out_dir: str | Path, center_name: str, *, full: bool = False) -> RosterResult:
    """Write the batch's roster as PDF and .xlsx into ``out_dir`` and audit the export."""
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="导出服务补助申领名册")
    if full:
        require(user, Role.REVIEWER, Role.ADMIN, action="导出完整身份证号码")
    doc = claim_roster(session, profile, batch_id, center_name, full=full)
    batch = session.get(SubsidyClaimBatch, batch_id)
    assert batch is not None
    stem = f"服务补助申领名册_第{batch_id}批_{batch.period_from:%Y%m%d}-{batch.period_to:%Y%m%d}"
    folder = Path(out_dir)
    xlsx, pdf = folder / f"{stem}.xlsx", folder / f"{stem}.pdf"
    write_table_xlsx(doc, xlsx)
    with atomic_write(pdf) as fh:
        pages = render_table_pdf(doc, fh)
    people = len(doc.tables[0].rows)
    total = sum(int(r[-1] * 100) for r in doc.tables[0].rows)  # type: ignore[operator]
    record_event(session, AuditFact("导出", SubsidyClaimRow.__audit_entity__, str(batch_id),
                                    detail=f"申领名册第 {batch_id} 批，{people} 人，{yuan_text(total)} 元"
                                           f"{'，完整身份证号码' if full else ''} → {xlsx.name}、{pdf.name}"))
    return RosterResult(xlsx, pdf, people, total, amount_in_chinese_capitals(total), pages)


def print_roster_pdf(session: Session, user: SignedInUser, profile: PolicyProfile, batch_id: int, out: str | Path,
                     center_name: str, *, full: bool = False) -> int:
    """Render the roster PDF to ``out`` for printing or saving; audited as a print. Returns pages."""
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="打印服务补助申领名册")
    if full:
        require(user, Role.REVIEWER, Role.ADMIN, action="打印完整身份证号码")
    doc = claim_roster(session, profile, batch_id, center_name, full=full)
    with atomic_write(out) as fh:
        pages = render_table_pdf(doc, fh)
    record_event(session, AuditFact("打印", SubsidyClaimRow.__audit_entity__, str(batch_id),
                                    detail=f"申领名册第 {batch_id} 批，{len(doc.tables[0].rows)} 人"
                                           f"{'，完整身份证号码' if full else ''}"))
    return pages
