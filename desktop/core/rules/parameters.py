"""The policy parameters a centre may set for itself on the 中心设置 screen, with what each means.

Only single numbers and yes/no switches are listed: word lists, scoring bands and form titles stay
in the profile files (resources/policies/), where a change is reviewed with the document it
follows. A parameter of a module the profile does not switch on is not offered. Every value is
still checked by ``load_profile`` (its range, and rules across keys); ``basis`` names the national
requirement behind a lower limit so a refusal can say why.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    """One adjustable profile key (dotted, as in the overrides) and its Chinese description."""

    key: str
    group: str
    label: str
    unit: str  # shown after the value; "" for yes/no switches
    meaning: str
    basis: str = ""


_SECURITY = "账号与安全"
_BACKUP = "自动备份"
_BROKER = "认定与公示"
_TRANSFER = "转移就业与补助"
_FILING = "年度备案"
_GROWTH = "村级覆盖与培育"
_STATION = "劳务协作工作站"
_FUND = "劳务合作金"

PARAMETERS: tuple[Parameter, ...] = (
    Parameter("security.password_min_length", _SECURITY, "密码最少位数", "位",
              "设置、重置或修改密码时至少要有的位数。",
              "等保二级要求密码不少于 8 位，不能设得更低。"),
    Parameter("security.password_min_classes", _SECURITY, "密码字符种类", "类",
              "大写字母、小写字母、数字、符号四类中至少要包含几类。",
              "等保二级要求至少 3 类。"),
    Parameter("security.lockout_failures", _SECURITY, "连续输错锁定", "次",
              "同一账号连续输错密码达到这个次数就被锁定（1～10 次）。"),
    Parameter("security.lockout_minutes", _SECURITY, "锁定时长", "分钟",
              "账号被锁定后过这么久自动解锁；管理员可以在“账号管理”中提前解锁。"),
    Parameter("security.idle_lock_minutes", _SECURITY, "无操作锁屏", "分钟",
              "多久没有操作就锁定屏幕，用本人密码解锁，未保存的内容保留。",
              "等保要求超时锁定，最长 30 分钟。"),
    Parameter("security.audit_retention_months", _SECURITY, "审计日志保留", "个月",
              "审计日志至少保留的时间；程序从不删除审计记录。",
              "网络安全法第二十一条要求日志至少保留 6 个月，不能设得更短。"),
    Parameter("backup.min_interval_minutes", _BACKUP, "自动备份间隔", "分钟",
              "数据有变化时，最多每隔这么久自动备份一次；退出程序时另备份一次。"),
    Parameter("backup.keep_daily", _BACKUP, "按天保留", "天",
              "今天和昨天的备份全部保留；再往前，保留这么多天里每天最新的一份。"),
    Parameter("backup.keep_weekly", _BACKUP, "按周保留", "周",
              "按天保留的之前，再保留这么多周里每周最新的一份。"),
    Parameter("backup.keep_monthly", _BACKUP, "按月保留", "个月",
              "按周保留的之前，再保留这么多个月里每月最新的一份。"),
    Parameter("broker.age_min", _BROKER, "申请年龄下限", "周岁",
              "申请认定劳务经纪人的最小年龄（含），按申请日当天的周岁计算。"),
    Parameter("broker.age_max", _BROKER, "申请年龄上限", "周岁",
              "申请认定劳务经纪人的最大年龄（含），按申请日当天的周岁计算。"),
    Parameter("publicity.working_days", _BROKER, "公示期", "个工作日",
              "拟认定名单公示的工作日数；节假日和调休按国家安排计算。"),
    Parameter("publicity.count_start_day", _BROKER, "开始日计入公示期", "",
              "选中：公示开始日是工作日时算作第 1 天；不选：从第二天起算。"),
    Parameter("publicity.allow_early_close", _BROKER, "允许提前结束公示", "",
              "选中：公示期未满也可以结束批次并认定；不选：必须等公示期满。"),
    Parameter("review.min_transfers_per_year", _TRANSFER, "复核最低人次", "人次/年",
              "两年复核时，连续两年每年组织转移就业都低于这个数的经纪人列入复核名单（恰好等于不列入）。"),
    Parameter("subsidy.amount_yuan", _TRANSFER, "服务补助标准", "元/人",
              "每名符合条件的转移就业人员给经纪人的就业创业服务补助。"),
    Parameter("subsidy.min_contract_months", _TRANSFER, "补助最短合同期", "个月",
              "劳动合同期限达到这么多个月（含）才计服务补助。"),
    Parameter("gold_medal.quota_per_year", _TRANSFER, "金牌推荐名额", "名/年",
              "每年推荐金牌劳务经纪人的名额；名额线上并列的交县里决定。"),
    Parameter("filing.deadline_month", _FILING, "备案截止月", "月", "年度备案信息表须在这个月的“备案截止日”（含）前报送。"),
    Parameter("filing.deadline_day", _FILING, "备案截止日", "日", "与“备案截止月”一起确定报送截止日期。"),
    Parameter("filing.remind_from_month", _FILING, "提醒开始月", "月",
              "从这个月的“提醒开始日”起在工作台提醒年度备案，直到截止日（含）。"),
    Parameter("filing.remind_from_day", _FILING, "提醒开始日", "日", "与“提醒开始月”一起确定开始提醒的日期，不能晚于截止日。"),
    Parameter("coverage.population_per_broker", _GROWTH, "每名经纪人服务人口", "人",
              "村（社区）应配经纪人数 = 人口 ÷ 这个数，向上取整。"),
    Parameter("coverage.min_per_village", _GROWTH, "每村至少配备", "名", "人口再少，每个村（社区）也至少配备这么多名。"),
    Parameter("training.min_days_per_year", _GROWTH, "集中培育最少天数", "天/年",
              "每名经纪人每年集中培育不少于这么多天（恰好达到算达标）。"),
    Parameter("points.replacement_candidate_percent", _GROWTH, "补充替换候选比例", "%",
              "积分排名后这个比例的经纪人列为补充替换候选，只供参考，不自动取消资格。"),
    Parameter("station.application_min_delivered", _STATION, "申请最少输送人数", "人",
              "已输送这么多人（含）以上方可申请设立工作站。"),
    Parameter("station.min_social_insurance_months", _STATION, "计入输送的参保月数", "个月",
              "输送人员在本地连续参保达到这么多个月（含）才计入。"),
    Parameter("station.reapply_ban_years", _STATION, "取消后不得申报", "年",
              "被取消资格的工作站在这么多年内不得重新申报。"),
    Parameter("fund.advance_overdue_days", _FUND, "垫支超期天数", "天", "垫支超过这么多天未收回，列为超期。"),
    Parameter("fund.four_clear_recheck_months", _FUND, "四清核实有效期", "个月",
              "“四清”信息在这么多个月内核实过的算作已核实，超过的列入待核实名单。"),
)

BY_KEY = {p.key: p for p in PARAMETERS}
