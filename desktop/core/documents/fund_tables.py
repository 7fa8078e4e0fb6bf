"""The fund's reports laid out as :class:`TableReport`s (the same for PDF and .xlsx)."""

from __future__ import annotations

from datetime import date

from desktop.core.documents.table_report import Column, Section, TableReport
from desktop.core.money import format_basis_points, format_fen
from desktop.core.rules.fund_sharing import COUNTY_KEEPS
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.fund_reports import DistributionReport, Outstanding, Safety, Statement


def day_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _issued(today: date) -> str:
    return f"制表日期：{day_text(today)}"


def _signatures(profile: PolicyProfile) -> tuple[str, ...]:
    parties = profile.fund.signoff_parties if profile.fund else ()
    return ("经办人：", *(f"{p}（签章）：" for p in parties))


def statement_table(s: Statement, profile: PolicyProfile, today: date) -> TableReport:
    a = s.account
    columns = (Column("日期", 22, "center"), Column("凭证号", 14, "center"), Column("类别", 18, "center"),
               Column("摘要", 72), Column("劳动力/对方", 34), Column("收入", 27, "right", money=True),
               Column("支出", 27, "right", money=True), Column("余额", 29, "right", money=True),
               Column("经办", 19, "center"))
    rows: list[tuple] = [("", "", "", "期初余额", "", None, None, s.opening_fen, "")]
    for e in s.entries:
        summary = e.summary
        if e.override:
            summary += "【透支特批】"
        if e.reversed_by_seq:
            summary += f"（已由第 {e.reversed_by_seq} 号冲正）"
        rows.append((f"{e.entry_date:%Y-%m-%d}", e.seq, e.kind_label, summary, e.worker or e.counterparty,
                     e.inflow_fen or None, e.outflow_fen or None, e.balance_fen, e.recorded_by_name))
    total = ("", "", "", "本期合计及期末余额", f"{len(s.entries)} 笔", s.inflow_fen, s.outflow_fen, s.closing_fen, "")
    notes = ["注：分录只增不改。录错的款项以“冲正”分录更正，冲正与原分录金额相同、方向相反，原分录保留。",
             "支出均经共管账户双方签批（双签批）后记账；标注“透支特批”的为管理员书面特批的透支支出。"]
    return TableReport(
        title="劳务合作金共管账户对账单",
        meta=(f"账户名称：{a.name}　开户银行：{a.bank_name or '—'}　账号：{a.account_no_masked or '—'}",
              f"合作协议：{a.agreement_number}（{a.county_coop} 与 {a.company}）　合作金本金：{format_fen(a.fund_amount_fen)} 元",
              f"对账期间：{day_text(s.date_from)} 至 {day_text(s.date_to)}　"
              f"期初余额：{format_fen(s.opening_fen)} 元　期末余额：{format_fen(s.closing_fen)} 元　单位：元"),
        sections=(Section("", columns, tuple(rows), total),),
        notes=tuple(notes), signatures=_signatures(profile), issued=_issued(today))


def outstanding_table(o: Outstanding, profile: PolicyProfile, today: date) -> TableReport:
    money = dict(align="right", money=True)
    workers = Section(
        "一、按劳动力",
        (Column("村级合作社", 42), Column("姓名", 20, "center"), Column("身份证号码", 40, "center", text=True),
         Column("垫支笔数", 16, "center"), Column("垫支金额", 27, **money), Column("已收回", 27, **money),
         Column("未收回", 27, **money), Column("最早垫支日期", 24, "center"), Column("其中超期", 27, **money)),
        tuple((w.village, w.name, w.id_number_masked, w.advances, w.advanced_fen, w.repaid_fen, w.outstanding_fen,
               f"{w.oldest:%Y-%m-%d}", w.overdue_fen or None) for w in o.workers),
        ("合计", f"{len(o.workers)} 人", "", sum(w.advances for w in o.workers), sum(w.advanced_fen for w in o.workers),
         sum(w.repaid_fen for w in o.workers), sum(w.outstanding_fen for w in o.workers), "",
         sum(w.overdue_fen for w in o.workers)),
        "（截至该日没有未收回的垫支）")
    villages = Section(
        "二、按村级劳务合作社",
        (Column("村级合作社", 60), Column("欠款人数", 20, "center"), Column("垫支金额", 30, **money),
         Column("已收回", 30, **money), Column("未收回", 30, **money), Column("其中超期", 30, **money)),
        tuple((v.village, v.workers, v.advanced_fen, v.repaid_fen, v.outstanding_fen, v.overdue_fen or None)
              for v in o.villages),
        ("合计", sum(v.workers for v in o.villages), sum(v.advanced_fen for v in o.villages),
         sum(v.repaid_fen for v in o.villages), sum(v.outstanding_fen for v in o.villages),
         sum(v.overdue_fen for v in o.villages)),
        "（无）")
    return TableReport(
        title="劳务合作金垫支未收回明细表",
        meta=(f"范围：{o.scope}　截至：{day_text(o.as_of)}　单位：元",
              f"“其中超期”为垫支超过 {o.overdue_days} 天仍未收回的部分。身份证号码已按规定隐去中间位数。"),
        sections=(workers, villages), signatures=_signatures(profile), issued=_issued(today))


def safety_table(items: list[Safety], profile: PolicyProfile, as_of: date, today: date) -> TableReport:
    days = profile.fund.advance_overdue_days if profile.fund else 0
    sections = []
    numerals = "一二三四五六七八九十"
    for i, s in enumerate(items):
        a = s.account
        covered = s.covered_fen
        term = f"{a.starts_on:%Y-%m-%d} 至 {a.ends_on:%Y-%m-%d}"
        if s.returned:
            state, term_note = "已返还", f"{term}；合作金已返还"
        elif s.term_ended:
            state, term_note = "期满未返还", f"{term}；合作期已满，合作金尚未返还县级劳务合作社，请督促办理"
        else:
            state, term_note = "合作期内", term
        rows = (
            ("合作金本金", a.fund_amount_fen, "协议约定委托使用的劳务合作金"),
            ("已返还合作金", s.returned_fen, "合作期满一次性返还县级劳务合作社"),
            ("账户余额", s.balance_fen, "共管账户截至该日的余额"),
            ("在外垫支（未收回）", s.outstanding_fen, "垫支给外出务工人员、尚未收回的金额"),
            ("其中超期未收回", s.overdue_fen, f"垫支超过 {days} 天未收回，涉及 {s.overdue_workers} 人"),
            ("资金覆盖", covered, "本金完整（余额＋在外垫支 不少于 未返还本金）" if covered >= 0
             else f"本金缺口 {format_fen(-covered)} 元，请查明原因"),
            ("累计垫支", s.advanced_fen, "交通费、体检费、培训费、途中伙食费等"),
            ("累计收回垫支", s.repaid_fen, ""),
            ("累计收入", s.income_fen, "劳务经济收益金、政策性补贴、企业补助等"),
            ("待签批支出", s.pending_fen, f"{s.pending_count} 笔，签批前不动用资金"),
            ("支出双签批", "全部双签" if s.unsigned_payments == 0 else f"{s.unsigned_payments} 笔不符",
             "每笔支出均经县级劳务合作社和人力资源服务企业双方签批"),
            ("透支特批", f"{s.overrides} 笔", "管理员书面特批、已记入审计日志" if s.overrides else "无透支"),
            ("冲正", f"{s.reversals} 笔", "录错款项以冲正分录更正，原分录保留"),
            ("合作期限", state, term_note),
        )
        sections.append(Section(
            f"{numerals[i % 10]}、{a.name}（协议 {a.agreement_number}，{a.company}）",
            (Column("项目", 40), Column("金额（元）/情况", 36, "right", money=True), Column("说明", 110)),
            rows))
    return TableReport(
        title="劳务合作金安全情况表",
        meta=(f"截至：{day_text(as_of)}　账户数：{len(items)}　单位：元",),
        sections=tuple(sections) or (Section("", (Column("项目", 1),), (), None, "（还没有开立合作金账户）"),),
        notes=("注：资金覆盖 ＝ 账户余额 ＋ 在外垫支 －（合作金本金 － 已返还合作金）；不小于 0 说明合作金本金完整。",),
        signatures=_signatures(profile), landscape=False, issued=_issued(today))


def distribution_table(d: DistributionReport, profile: PolicyProfile, today: date) -> TableReport:
    uses = profile.fund.income_uses if profile.fund else ("经纪人绩效奖励", "村公益事业", "工作经费")
    money = dict(align="right", money=True)
    villages = Section(
        "一、各村级劳务合作社收益",
        (Column("村级劳务合作社", 46), Column("输送人数", 16, "center"), Column("按协议标准应得", 28, **money),
         Column("本期实分", 28, **money), Column(f"{uses[0]}（{format_basis_points(d.reward_bp)}）", 34, **money),
         Column(f"{uses[1]}（{format_basis_points(d.public_works_bp)}）", 30, **money),
         Column(f"{uses[2]}（余额）", 28, **money), Column("奖励未分配", 24, **money)),
        tuple((v.village, v.workers, v.entitled_fen, v.amount_fen, v.reward_fen, v.public_works_fen,
               v.work_funds_fen, v.reward_unallocated_fen or None) for v in d.villages),
        ("合计", sum(v.workers for v in d.villages), sum(v.entitled_fen for v in d.villages),
         sum(v.amount_fen for v in d.villages), sum(v.reward_fen for v in d.villages),
         sum(v.public_works_fen for v in d.villages), sum(v.work_funds_fen for v in d.villages),
         sum(v.reward_unallocated_fen for v in d.villages)),
        "（本期没有输送记录）")
    brokers = Section(
        f"二、{uses[0]}分配到人",
        (Column("村级劳务合作社", 60), Column("劳务经纪人", 40, "center"), Column("动员输送人数", 30, "center"),
         Column("绩效奖励", 40, **money)),
        tuple((b.village, b.broker, b.workers, b.reward_fen) for b in d.brokers),
        ("合计", f"{len(d.brokers)} 人", sum(b.workers for b in d.brokers), sum(b.reward_fen for b in d.brokers)),
        "（本期没有登记动员经纪人的输送记录）")
    rule = ("尾差按最大余数法：各村先取应分金额的整分，余下的分逐分给小数部分最大的村，相同时按村代码顺序"
            if d.rule != COUNTY_KEEPS else "尾差留县级劳务合作社")
    notes = [
        f"分配方法：本期收到的{(profile.fund.revenue_income_kind if profile.fund else '劳务经济收益金')}"
        f" {format_fen(d.pool_fen)} 元，按各村本期输送人数比例分到各村级劳务合作社，精确到分；{rule}。",
        f"各村所得中，{uses[0]}、{uses[1]}按协议比例计算并舍去不足 1 分的部分，余下部分为{uses[2]}，三项之和等于该村所得。"
        f"{uses[0]}再按各经纪人动员的输送人数分配；未登记经纪人的输送人数对应的部分列为“奖励未分配”。",
    ]
    if d.county_kept_fen:
        notes.append(f"县级劳务合作社留存（尾差或本期无输送）：{format_fen(d.county_kept_fen)} 元。")
    return TableReport(
        title="劳务经济收益金分配表",
        meta=(f"合作协议：{d.agreement_number}　人力资源服务企业：{d.company}　"
              f"协议标准：每输送 1 人 {format_fen(d.rate_per_worker_fen)} 元",
              f"分配期间：{day_text(d.date_from)} 至 {day_text(d.date_to)}　本期收益金：{format_fen(d.pool_fen)} 元　单位：元"),
        sections=(villages, brokers), notes=tuple(notes), signatures=_signatures(profile), issued=_issued(today))
