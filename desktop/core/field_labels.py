"""Chinese names of record fields, for the audit viewer and its export (the log stores column names).

Areas may add their own with ``FIELD_LABELS.update(...)``; a field without a label is shown by its
column name.
"""

from __future__ import annotations

import json

FIELD_LABELS: dict[str, str] = {
    "id": "编号", "actor": "办理人", "actor_name": "办理人姓名", "application_date": "申请日期",
    "application_id": "申请编号", "bank_account": "银行账号", "bank_name": "开户银行", "batch_id": "公示批次",
    "birth_date": "出生日期", "broker_id": "经纪人编号", "calendar_rule": "日历规则", "category": "申请人类别",
    "center_name": "服务中心名称", "certificate_no": "合格证编号", "certified_on": "认定时间",
    "changed_on": "变更日期", "channel": "方式", "closed_by": "结束人", "closed_on": "结束日期",
    "completed_month": "培训完成时间", "content": "内容", "county_code": "县代码", "county_name": "县名称",
    "created_at": "创建时间", "created_by": "创建人", "day": "日期", "decided_by": "核实人",
    "decided_on": "核实日期", "declarations": "申请条件", "disabled": "停用", "display_name": "姓名",
    "education": "学历", "employer": "工作单位", "end_date": "结束日期", "failed_attempts": "失败次数",
    "gender": "性别", "home_address": "家庭住址", "hukou_confirmed": "户籍已核对",
    "hukou_province_code": "户籍省份", "id_number": "身份证号码", "issuer": "发布单位", "kind": "类别",
    "last_sign_in": "最近登录", "lead": "导语", "locked_until": "锁定到", "must_change_password": "须改密码",
    "name": "姓名", "note": "说明", "objection_address": "异议地址", "objection_phone": "异议电话",
    "occurred_on": "办理日期", "opinion": "意见", "outcome": "结果", "passed": "是否通过",
    "password_changed_at": "密码修改时间", "phone": "联系电话", "photo": "照片", "photo_type": "照片格式",
    "political_status": "政治面貌", "profile_name": "政策配置", "profile_overrides": "政策参数",
    "profile_text": "个人简介", "publicity_batch_id": "公示批次", "reason": "原因", "received_on": "收到日期",
    "remarks": "备注", "revoke_reason": "取消原因", "revoked_on": "取消日期", "role": "角色", "score": "考试成绩",
    "seq": "批次号", "service_area": "主要服务区域", "service_village_code": "服务村代码", "source": "来源",
    "start_date": "开始日期", "status": "状态", "title": "标题", "training_month": "参加培训时间",
    "updated_at": "修改时间", "updated_by": "修改人", "username": "用户名", "verdict": "核实结论",
    "verdict_reason": "核实情况", "version": "版本", "village_code": "村代码", "village_name": "村（社区）",
    "working_days": "工作日数", "year": "年度", "*": "全部字段",
}


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def readable_record(text: str | None) -> str | None:
    """A creation entry's JSON object as "标签：值；…", else ``text`` unchanged."""
    if not text or not text.startswith("{"):
        return text
    try:
        values = json.loads(text)
    except ValueError:
        return text
    if not isinstance(values, dict):
        return text
    return "；".join(f"{label(k)}：{v}" for k, v in values.items())
