"""The import dialogs of each area, wired to their core importers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop.ui.import_dialog import ImportDialog
from desktop.ui.session import AppState


def application_import_dialog(state: AppState, parent: QWidget | None = None) -> ImportDialog:
    from desktop.core.documents.excel.application_import import import_applications

    def run(path: Path, dry_run: bool, skip_bad: bool, progress, cancel):  # type: ignore[no-untyped-def]
        return import_applications(state.db, state.profile, path, actor=state.user.username, dry_run=dry_run,
                                   skip_bad=skip_bad, county_code=state.center.county_code,
                                   progress=progress, cancel=cancel)

    return ImportDialog(
        state, "导入经纪人申请（Excel）",
        "姓名、性别、出生年月、政治面貌、学历、联系电话、工作单位、身份证号码、个人银行账号、开户银行、家庭住址、"
        "个人简介、常住村（社区）、申请日期", run, parent)


def training_import_dialog(state: AppState, parent: QWidget | None = None) -> ImportDialog:
    from desktop.core.documents.excel.training_import import import_training_results

    def run(path: Path, dry_run: bool, skip_bad: bool, progress, cancel):  # type: ignore[no-untyped-def]
        return import_training_results(state.db, path, user=state.user, dry_run=dry_run, skip_bad=skip_bad,
                                       progress=progress, cancel=cancel)

    return ImportDialog(state, "导入培训考试结果（省平台导出表）",
                        "姓名、身份证号码、培训完成时间、考试成绩、是否合格、合格证编号", run, parent)


def broker_import_dialog(state: AppState, parent: QWidget | None = None) -> ImportDialog:
    from desktop.core.documents.excel.broker_import import import_brokers

    def run(path: Path, dry_run: bool, skip_bad: bool, progress, cancel):  # type: ignore[no-untyped-def]
        return import_brokers(state.db, path, user=state.user, dry_run=dry_run, skip_bad=skip_bad,
                              county_code=state.center.county_code, progress=progress, cancel=cancel)

    return ImportDialog(state, "导入已认定的劳务经纪人（备案信息表格式）",
                        "序号、姓名、性别、身份证号码、学历水平、参加培训时间、认定时间、主要服务区域、联系电话、备注"
                        "（可带标题行和“填报市（州）”行）", run, parent)


def population_import_dialog(state: AppState, parent: QWidget | None = None) -> ImportDialog:
    from desktop.core.documents.excel.population_import import import_population

    def run(path: Path, dry_run: bool, skip_bad: bool, progress, cancel):  # type: ignore[no-untyped-def]
        return import_population(state.db, path, user=state.user, dry_run=dry_run, skip_bad=skip_bad,
                                 county_code=state.center.county_code, progress=progress, cancel=cancel)

    return ImportDialog(state, "导入村（社区）人口（Excel）",
                        "乡镇（街道）、村（社区）、区划代码（可空）、户籍人口、常住人口、统计时点", run, parent)


def roster_import_dialog(state: AppState, station_id: int, station_name: str,
                         parent: QWidget | None = None) -> ImportDialog:
    from desktop.core.documents.excel.roster_import import import_roster

    def run(path: Path, dry_run: bool, skip_bad: bool, progress, cancel):  # type: ignore[no-untyped-def]
        return import_roster(state.db, state.profile, station_id, path, user=state.user, dry_run=dry_run,
                             skip_bad=skip_bad, progress=progress, cancel=cancel)

    return ImportDialog(state, f"导入输送劳动力名册（{station_name}）",
                        "序号、姓名、身份证号、户籍、入职企业、入职时间、社保连续月数，可选：是否派遣、是否技术技能人才、"
                        "6个月后是否在职、备注（可带“累计输送劳动力名册”标题和填报单位行）", run, parent)
