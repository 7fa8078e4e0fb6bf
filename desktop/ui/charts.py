"""Simple charts drawn with QPainter (PySide6-Essentials has no QtCharts): vertical bars for a
series over time, horizontal bars for a few named figures. Values are drawn on the bars so the
clerk never has to read an axis; the whole series is also the widget's tooltip and accessible
description, for screen readers and for copying by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#3d7bd9")
BAR_HIGHLIGHT = QColor("#f08c00")
AXIS = QColor("#9aa5b1")
TEXT = QColor("#2b2b2b")
MUTED = QColor("#6b7280")


def _scale_top(value: int) -> float:
    """The value the full height stands for: the largest bar with a little headroom for its label."""
    return max(1.0, value * 1.06)


class _Chart(QWidget):
    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, int]] = []
        self.highlight: set[int] = set()
        self.empty_text = "暂无数据"
        self.unit = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, items: Sequence[tuple[str, int]], *, highlight: Sequence[int] = (), unit: str = "") -> None:
        """``items``: (label, value) in display order; ``highlight``: indexes drawn in the accent colour."""
        self.items = [(str(label), int(value)) for label, value in items]
        self.highlight = set(highlight)
        self.unit = unit
        summary = "；".join(f"{label} {value}{unit}" for label, value in self.items)
        self.setToolTip(f"{self.title}：{summary}" if self.title else summary)
        self.setAccessibleDescription(self.toolTip())
        self.update()

    def _fonts(self) -> tuple[QFont, QFont]:
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, self.font().pointSizeF() * 0.85))
        bold = QFont(self.font())
        bold.setBold(True)
        return small, bold

    def _draw_title(self, p: QPainter) -> float:
        if not self.title:
            return 4.0
        _, bold = self._fonts()
        p.setFont(bold)
        p.setPen(TEXT)
        height = QFontMetrics(bold).height()
        p.drawText(QRectF(8, 4, self.width() - 16, height), Qt.AlignmentFlag.AlignLeft, self.title)
        return 8.0 + height

    def _draw_empty(self, p: QPainter, top: float) -> None:
        p.setPen(MUTED)
        p.drawText(QRectF(0, top, self.width(), self.height() - top), Qt.AlignmentFlag.AlignCenter, self.empty_text)
        p.end()


class BarChart(_Chart):
    """Vertical bars with the value above each bar and the label below it."""

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 160)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = self._draw_title(p)
        if not self.items or not any(v for _, v in self.items):
            self._draw_empty(p, top)
            return
        small, _ = self._fonts()
        fm = QFontMetrics(small)
        p.setFont(small)
        label_h = fm.height() + 4
        value_h = fm.height() + 2
        left, right = 8.0, 8.0
        plot = QRectF(left, top + value_h, self.width() - left - right, self.height() - top - value_h - label_h - 4)
        scale = _scale_top(max(v for _, v in self.items))
        n = len(self.items)
        slot = plot.width() / n
        bar_w = max(4.0, slot * 0.62)
        p.setPen(QPen(AXIS, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        for i, (label, value) in enumerate(self.items):
            x = plot.left() + i * slot + (slot - bar_w) / 2
            h = plot.height() * value / scale
            bar = QRectF(x, plot.bottom() - h, bar_w, h)
            p.fillRect(bar, BAR_HIGHLIGHT if i in self.highlight else BAR)
            p.setPen(TEXT)
            text = f"{value:,}"
            if fm.horizontalAdvance(text) <= slot + 2:
                p.drawText(QRectF(x - slot, bar.top() - value_h, bar_w + 2 * slot, value_h),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
            p.setPen(MUTED)
            shown = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(slot + 6))
            p.drawText(QRectF(plot.left() + i * slot - 3, plot.bottom() + 3, slot + 6, label_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, shown)
        p.end()


class HBarChart(_Chart):
    """Horizontal bars: the label on the left, the value at the end of the bar."""

    row_height = 24

    def sizeHint(self) -> QSize:
        return QSize(420, 40 + self.row_height * max(2, len(self.items)))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 40 + self.row_height * max(1, min(3, len(self.items))))

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = self._draw_title(p)
        if not self.items:
            self._draw_empty(p, top)
            return
        small, _ = self._fonts()
        fm = QFontMetrics(small)
        p.setFont(small)
        label_w = min(self.width() * 0.42, max(fm.horizontalAdvance(label) for label, _ in self.items) + 12)
        value_w = max(fm.horizontalAdvance(f"{v:,}{self.unit}") for _, v in self.items) + 10
        scale = _scale_top(max(v for _, v in self.items))
        row = min(float(self.row_height), (self.height() - top - 4) / len(self.items))
        width = max(10.0, self.width() - label_w - value_w - 16)
        for i, (label, value) in enumerate(self.items):
            y = top + i * row
            p.setPen(TEXT)
            p.drawText(QRectF(8, y, label_w - 8, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       fm.elidedText(label, Qt.TextElideMode.ElideMiddle, int(label_w - 10)))
            w = width * value / scale
            bar = QRectF(label_w + 4, y + row * 0.2, w, row * 0.6)
            p.fillRect(bar, BAR_HIGHLIGHT if i in self.highlight else BAR)
            p.drawText(QRectF(bar.right() + 6, y, value_w, row), Qt.AlignmentFlag.AlignVCenter, f"{value:,}{self.unit}")
        p.end()
