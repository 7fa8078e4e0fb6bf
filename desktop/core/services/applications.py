"""Broker applications (劳务经纪人认定申请): intake, correction, search and lookup."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from desktop.core import clock
from desktop.core.contact import normalise_account, normalise_phone
from desktop.core.errors import UserError
from desktop.core.idcard import is_id_prefix, mask, normalise, parse_id_number
from desktop.core.models.broker import OPEN_STATUSES, STATUS_LABELS, ApplicationStatus, BrokerApplication
from desktop.core.rules.eligibility import ERROR, WARNING, ApplicantFacts, Problem, check_applicant
from desktop.core.rules.profile import PolicyProfile

#: the application form can be corrected until it is publicised
EDITABLE_STATUSES = ("submitted", "recommended", "reviewed", "trained")


@dataclass(frozen=True)
class ApplicationInput:
    """Every field of 附件1 plus 常住村（社区）, category and application date, as the clerk typed them."""

    name: str
    gender: str
    birth_month: str  # "YYYY-MM"
    id_number: str
    political_status: str
    education: str
    phone: str
    employer: str
    bank_account: str
    bank_name: str
    home_address: str
    profile_text: str
    village_code: str
    village_name: str
    category: str
    application_date: date | None
    declarations: tuple[str, ...] = ()
    hukou_confirmed: bool = False
    photo: bytes | None = None
    photo_type: str = ""

    def facts(self) -> ApplicantFacts:
        required = {
            "gender": self.gender,
            "birth_month": self.birth_month,
            "political_status": self.political_status,
            "education": self.education,
            "home_address": self.home_address,
            "village": self.village_name,
            "category": self.category,
        }
        return ApplicantFacts(
            name=self.name,
            gender=self.gender,
            birth_month=self.birth_month,
            id_number=self.id_number,
            phone=self.phone,
            bank_account=self.bank_account,
            application_date=self.application_date,
            hukou_confirmed=self.hukou_confirmed,
            required=required,
        )


@dataclass(frozen=True)
class ApplicationRow:
    """One line of the application list, personal numbers already masked."""

    id: int
    name: str
    gender: str
    id_number_masked: str
    phone_masked: str
    village_name: str
    category: str
    application_date: date
    status: str
    status_label: str


@dataclass(frozen=True)
class ApplicationDetail:
    id: int
    version: int
    status: str
    data: ApplicationInput
    created_at: object
    created_by: str
    updated_at: object
    updated_by: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[ApplicationStatus(self.status)]


@dataclass(frozen=True)
class ApplicationQuery:
    text: str = ""
    status: str = ""
    village_code: str = ""
    village_name: str = ""  # exact, for villages typed without a code
    offset: int = 0
    limit: int = 200
    order: str = "recent"  # "recent" or a key of SORT_KEYS
    descending: bool = False


class DuplicateApplication(UserError):
    """The ID number already has an open application or is a broker; the UI opens that record."""

    def __init__(self, existing_id: int, name: str, status_label: str) -> None:
        super().__init__(
            f"身份证号码已有{name}的申请记录（状态：{status_label}），每人只能有一条有效申请。已为您打开原记录。",
            field="id_number",
        )
        self.existing_id = existing_id


class ValidationFailed(UserError):
    """The input has errors; ``problems`` lists every one (and the warnings) by field."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == ERROR]
        super().__init__("\n".join(p.message for p in errors), field=errors[0].field if errors else None)
        self.problems = problems


def validate(data: ApplicationInput, profile: PolicyProfile) -> list[Problem]:
    problems = check_applicant(data.facts(), profile, clock.today())
    missing = [d for d in profile.broker.declarations if d not in data.declarations]
    if missing:
        # A warning at intake (village sheets carry no such column); the county review requires them.
        problems.append(
            Problem(
                "declarations",
                f"申请条件：尚未核实“{'、'.join(missing)}”，县级初审前须核实并勾选；不符合的不能认定。",
                WARNING,
            )
        )
    return problems


def _clean(data: ApplicationInput) -> ApplicationInput:
    return replace(
        data,
        name=data.name.strip(),
        id_number=normalise(data.id_number),
        phone=normalise_phone(data.phone),
        bank_account=normalise_account(data.bank_account),
        employer=data.employer.strip(),
        bank_name=data.bank_name.strip(),
        home_address=data.home_address.strip(),
        profile_text=data.profile_text.strip(),
    )


def find_open_by_id_number(session: Session, id_number: str) -> BrokerApplication | None:
    return session.scalar(
        select(BrokerApplication).where(
            BrokerApplication.id_number == normalise(id_number),
            BrokerApplication.status.in_(OPEN_STATUSES),
        )
    )


def _raise_if_duplicate(session: Session, id_number: str, own_id: int | None = None) -> None:
    existing = find_open_by_id_number(session, id_number)
    if existing is not None and existing.id != own_id:
        raise DuplicateApplication(existing.id, existing.name, STATUS_LABELS[existing.status_enum])


def _apply(row: BrokerApplication, data: ApplicationInput, profile: PolicyProfile) -> None:
    parsed = parse_id_number(data.id_number, clock.today())
    row.id_number = parsed.value
    row.name = data.name
    row.gender = parsed.gender
    row.birth_date = parsed.birth_date
    row.political_status = data.political_status
    row.education = data.education
    row.phone = data.phone
    row.employer = data.employer
    row.bank_account = data.bank_account
    row.bank_name = data.bank_name
    row.home_address = data.home_address
    row.profile_text = data.profile_text
    row.village_code = data.village_code
    row.village_name = data.village_name
    row.category = data.category
    row.declarations = "、".join(data.declarations)
    row.application_date = data.application_date or clock.today()
    row.hukou_confirmed = data.hukou_confirmed
    allowed = profile.broker.home_province_codes
    row.hukou_province_code = (
        parsed.province_code if (not allowed or parsed.province_code in allowed) else allowed[0]
    )
    if data.photo is not None:
        row.photo = data.photo
        row.photo_type = data.photo_type or "jpeg"


def create_application(session: Session, profile: PolicyProfile, data: ApplicationInput) -> int:
    """Save a new application after every check; raises ValidationFailed or DuplicateApplication."""
    data = _clean(data)
    problems = validate(data, profile)
    if any(p.severity == ERROR for p in problems):
        raise ValidationFailed(problems)
    _raise_if_duplicate(session, data.id_number)
    row = BrokerApplication(status=ApplicationStatus.SUBMITTED.value)
    _apply(row, data, profile)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # Another counter saved the same ID number a moment ago.
        session.rollback()
        _raise_if_duplicate(session, data.id_number)
        raise
    return row.id


def update_application(
    session: Session, profile: PolicyProfile, application_id: int, expected_version: int, data: ApplicationInput
) -> None:
    """Correct an application; the audit log keeps every old value with who and when."""
    data = _clean(data)
    row = session.get(BrokerApplication, application_id)
    if row is None:
        raise UserError("这条申请记录不存在。")
    if row.version != expected_version:
        raise UserError(f"这条申请已被{row.updated_by}在 {row.updated_at:%H:%M} 修改过，请关闭后重新打开再改。")
    if row.status not in EDITABLE_STATUSES:
        raise UserError(f"申请现在是“{row.status_enum.label}”，公示开始后申请表不能再修改。")
    problems = validate(data, profile)
    if any(p.severity == ERROR for p in problems):
        raise ValidationFailed(problems)
    _raise_if_duplicate(session, data.id_number, own_id=row.id)
    _apply(row, data, profile)
    session.flush()


def get_application(session: Session, application_id: int) -> ApplicationDetail:
    row = session.get(BrokerApplication, application_id, options=[undefer(BrokerApplication.photo)])
    if row is None:
        raise UserError("这条申请记录不存在。")
    return _detail(row)


def _detail(row: BrokerApplication) -> ApplicationDetail:
    data = ApplicationInput(
        name=row.name,
        gender=row.gender,
        birth_month=f"{row.birth_date:%Y-%m}",
        id_number=row.id_number,
        political_status=row.political_status,
        education=row.education,
        phone=row.phone,
        employer=row.employer,
        bank_account=row.bank_account,
        bank_name=row.bank_name,
        home_address=row.home_address,
        profile_text=row.profile_text,
        village_code=row.village_code,
        village_name=row.village_name,
        category=row.category,
        application_date=row.application_date,
        declarations=tuple(d for d in row.declarations.split("、") if d),
        hukou_confirmed=row.hukou_confirmed,
        photo=row.photo,
        photo_type=row.photo_type,
    )
    return ApplicationDetail(row.id, row.version, row.status, data, row.created_at, row.created_by,
                             row.updated_at, row.updated_by)


def get_by_id_number(session: Session, id_number: str) -> ApplicationDetail:
    """The open application for an ID number, else the latest rejected one."""
    value = normalise(id_number)
    row = find_open_by_id_number(session, value) or session.scalar(
        select(BrokerApplication)
        .where(BrokerApplication.id_number == value)
        .order_by(BrokerApplication.id.desc())
        .limit(1)
    )
    if row is None:
        raise UserError(f"没有身份证号码为 {mask(value, 6, 4)} 的申请记录。")
    return get_application(session, row.id)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters(query: ApplicationQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    text = "".join(query.text.split())
    if text:
        upper = text.upper()
        if is_id_prefix(upper):
            # ID prefix as a range: uses the index on every engine (LIKE 'x%' does not on SQLite).
            conds.append(and_(BrokerApplication.id_number >= upper, BrokerApplication.id_number < upper + "~"))
        else:
            # Name only: the scan then reads the narrow name index, not the table (village has its own filter).
            conds.append(BrokerApplication.name.like(f"%{_escape_like(text)}%", escape="\\"))
    if query.status:
        conds.append(BrokerApplication.status == query.status)
    if query.village_code:
        conds.append(BrokerApplication.village_code.startswith(query.village_code, autoescape=True))
    if query.village_name:
        conds.append(BrokerApplication.village_name == query.village_name)
    return conds


SORT_KEYS = {
    "name": BrokerApplication.name,
    "gender": BrokerApplication.gender,
    "id_number": BrokerApplication.id_number,
    "village": BrokerApplication.village_name,
    "category": BrokerApplication.category,
    "date": BrokerApplication.application_date,
    "status": BrokerApplication.status,
}


def count_applications(session: Session, query: ApplicationQuery) -> int:
    stmt = select(func.count()).select_from(BrokerApplication).where(*_filters(query))
    return session.scalar(stmt) or 0


def _row_select(query: ApplicationQuery) -> Select:
    cols = (
        BrokerApplication.id,
        BrokerApplication.name,
        BrokerApplication.gender,
        BrokerApplication.id_number,
        BrokerApplication.phone,
        BrokerApplication.village_name,
        BrokerApplication.category,
        BrokerApplication.application_date,
        BrokerApplication.status,
    )
    key = SORT_KEYS.get(query.order)
    if key is None:
        order = (BrokerApplication.id.desc(),)
    elif query.descending:
        order = (key.desc(), BrokerApplication.id.desc())
    else:
        order = (key.asc(), BrokerApplication.id.asc())
    return select(*cols).where(*_filters(query)).order_by(*order).offset(query.offset).limit(query.limit)


def search_applications(session: Session, profile: PolicyProfile, query: ApplicationQuery) -> list[ApplicationRow]:
    m = profile.masking
    return [
        ApplicationRow(
            id=r.id,
            name=r.name,
            gender=r.gender,
            id_number_masked=mask(r.id_number, m.id_head, m.id_tail, m.mask_char),
            phone_masked=mask(r.phone, m.phone_head, m.phone_tail, m.mask_char),
            village_name=r.village_name,
            category=r.category,
            application_date=r.application_date,
            status=r.status,
            status_label=STATUS_LABELS[ApplicationStatus(r.status)],
        )
        for r in session.execute(_row_select(query))
    ]


def village_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of villages that have applications, for the list's filter."""
    rows = session.execute(
        select(BrokerApplication.village_code, BrokerApplication.village_name)
        .group_by(BrokerApplication.village_code, BrokerApplication.village_name)
        .order_by(BrokerApplication.village_name)
    )
    return [(c, n) for c, n in rows if n]
