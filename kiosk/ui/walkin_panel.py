"""Walk-in priority: four large category buttons, the date of birth where the category
needs it, the remaining quota, and a ``B`` ticket."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout,
    QWidget,
)

from kiosk.app import AppContext
from kiosk.core.priority import PriorityCategory
from kiosk.i18n import tr
from kiosk.services.results import WalkInOutcome, WalkInResult
from kiosk.services.walkin import category_label, quota_left, walk_in
from kiosk.ui import look
from kiosk.ui.keypad import Keypad
from kiosk.ui.sounds import Sounds
from kiosk.ui.handlers import split
from kiosk.ui.tasks import TaskRunner

C = "Desk"


def parse_birth(text: str, today: date) -> date:
    """"25-01-1987", "25/01/1987", "25.01.1987" or "25011987" (as Indonesians write it);
    ValueError with a sentence for the applicant otherwise."""
    digits = re.sub(r"[\s./-]", "", text)
    if not re.fullmatch(r"\d{8}", digits):
        raise ValueError(tr(C, "Tulis tanggal lahir sebagai HH-BB-TTTT, misalnya 25-01-1987."))
    try:
        birth = date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        raise ValueError(tr(C, "Tanggal lahir {text} tidak ada di kalender.", text=text.strip()[:12])) from None
    if birth > today or birth.year < 1900:
        raise ValueError(tr(C, "Tanggal lahir {text} tidak mungkin.", text=text.strip()[:12]))
    return birth


def format_birth_digits(digits: str) -> str:
    """What the keypad shows while typing: 2501 → 25-01, 25011987 → 25-01-1987."""
    parts = [digits[:2], digits[2:4], digits[4:8]]
    return "-".join(p for p in parts if p)


_RESULT_COLOURS = {
    WalkInOutcome.ISSUED: look.GREEN,
    WalkInOutcome.AGE_REFUSED: look.RED,
    WalkInOutcome.QUOTA_FULL: look.RED,
    WalkInOutcome.BIRTH_REQUIRED: look.AMBER,
    WalkInOutcome.CATEGORY_UNKNOWN: look.AMBER,
    WalkInOutcome.INVALID_INPUT: look.AMBER,
}


class ConfirmToggle(QPushButton):
    """The officer's (or, self-service, the applicant's) confirmation: a large button that
    stays pressed and says in words whether it is on. Tab reaches it; Space or Enter
    toggles it (Ctrl+Enter still issues the ticket)."""

    def __init__(self, off_text: str, on_text: str, name: str, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(name)
        self._texts = (off_text, on_text)
        self.setFont(look.font(15 * scale, bold=True))
        self.setMinimumHeight(round(56 * scale))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("QPushButton { background: #fff8e1; color: #5f4300; border: 3px solid #e0a100; "
                           "border-radius: 12px; text-align: left; padding: 8px 16px; }"
                           f"QPushButton:checked {{ background: {look.GREEN}; color: white; "
                           f"border-color: {look.GREEN}; }}"
                           "QPushButton:focus { border-color: #1d3557; }")
        self.toggled.connect(self._show_state)
        self._show_state(False)

    def _show_state(self, on: bool) -> None:
        self.setText(("\u2611  " if on else "\u2610  ") + self._texts[on])
        self.setAccessibleDescription(self._texts[on])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.click()
            event.accept()
            return
        super().keyPressEvent(event)


class WalkInPanel(QWidget):
    """Self-contained: it calls the walk-in service through the task runner and shows
    the answer. ``touch=True`` is the self-service look: bigger, a keypad, no name."""

    issued = Signal(object)  # WalkInResult with a ticket
    answered = Signal(object)  # every WalkInResult

    def __init__(self, ctx: AppContext, runner: TaskRunner, sounds: Sounds, parent: QWidget | None = None, *,
                 touch: bool = False) -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.sounds, self.touch = ctx, runner, sounds, touch
        scale = 1.5 if touch else 1.0
        self.quota: int | None = None
        self.category: PriorityCategory | None = None
        self.last_result: WalkInResult | None = None

        self.heading = QLabel(tr(C, "Antrean prioritas tanpa booking"))
        self.heading.setFont(look.font(20 * scale, bold=True))
        self.heading.setWordWrap(True)
        self.heading.setVisible(not touch)  # the self-service screen has its own welcome
        self.quota_label = QLabel()
        self.quota_label.setFont(look.font(14 * scale, bold=True))

        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[PriorityCategory, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        categories = [PriorityCategory(c) for c in ctx.config.priority.categories]
        for i, cat in enumerate(categories):
            button = QPushButton(category_label(cat) + ("" if touch else f"  (Alt+{i + 1})"))
            button.setObjectName(f"category_{cat.value}")
            button.setCheckable(True)
            button.setIcon(look.svg_icon(cat.value, "#ffffff"))
            button.setIconSize(QSize(round(64 * scale), round(64 * scale)))
            button.setFont(look.font(18 * scale, bold=True))
            button.setMinimumHeight(round(96 * (1.15 if touch else 1.0)))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setStyleSheet("QPushButton { background: #f1f5fb; color: #1d3557; border: 3px solid #c5d3e8; "
                                 "border-radius: 14px; text-align: left; padding: 8px 16px; }"
                                 "QPushButton:checked { background: #1d3557; color: white; border-color: #1d3557; }"
                                 "QPushButton:focus { border-color: #e0a100; }"
                                 "QPushButton:disabled { color: #9aa0a6; }")
            button.clicked.connect(lambda _=False, c=cat: self.choose(c))
            self.group.addButton(button)
            grid.addWidget(button, i // 2, i % 2)
            self.buttons[cat] = button
            if not touch:
                QShortcut(QKeySequence(f"Alt+{i + 1}"), self, activated=button.click)

        self.question = QLabel()
        self.question.setFont(look.font(15 * scale))
        self.question.setWordWrap(True)
        self.birth = QLineEdit()
        self.birth.setObjectName("birth")
        self.birth.setPlaceholderText(tr(C, "HH-BB-TTTT"))
        self.birth.setFont(look.font(20 * scale, bold=True))
        self.birth.setMaxLength(10)
        self.birth.setAccessibleName(tr(C, "Tanggal lahir"))
        self.birth.returnPressed.connect(self.submit)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText(tr(C, "Nama (boleh dikosongkan)"))
        self.name.setMaxLength(120)
        self.name.setFont(look.font(13 * scale))
        self.name.setAccessibleName(tr(C, "Nama"))
        self.name.returnPressed.connect(self.submit)
        if touch:
            self.confirm = ConfirmToggle(tr(C, "BELUM: sentuh di sini untuk menyatakan keterangan Anda benar"),
                                         tr(C, "YA: saya menyatakan keterangan ini benar"),
                                         tr(C, "Pernyataan pemohon"), scale)
        else:
            self.confirm = ConfirmToggle(tr(C, "BELUM DIKONFIRMASI: petugas sudah memeriksa? Tekan Spasi"),
                                         tr(C, "DIKONFIRMASI: sudah diperiksa petugas"),
                                         tr(C, "Konfirmasi petugas"), scale)
        self.confirm.toggled.connect(lambda _on: self._update_form())
        self._issuing = False  # a walk-in is with the service: one ticket per press
        self._successor: WalkInPanel | None = None  # the panel a language switch put in this one's place
        self._result: tuple[Callable[[], str], str | None] = (lambda: "", None)
        self.submit_button = QPushButton(tr(C, "Cetak tiket prioritas") + ("" if touch else "  (Ctrl+Enter)"))
        self.submit_button.setObjectName("issue")
        self.submit_button.setFont(look.font(16 * scale, bold=True))
        self.submit_button.setMinimumHeight(round(64 * scale))
        self.submit_button.setStyleSheet(f"QPushButton {{ background: {look.GREEN}; color: white; border-radius: 12px;"
                                         " padding: 8px 24px; } QPushButton:disabled { background: #9aa0a6; }")
        self.submit_button.clicked.connect(self.submit)
        if not touch:
            QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit)
            QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.submit)
        self.result = QLabel()
        self.result.setObjectName("walkin_result")
        self.result.setFont(look.font(17 * scale, bold=True))
        self.result.setWordWrap(True)
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result.setMinimumHeight(round(60 * (1.15 if touch else 1.0)))

        form = QVBoxLayout()
        form.addWidget(self.question)
        form.addWidget(self.birth)
        if not touch:
            form.addWidget(self.name)
        form.addWidget(self.confirm)
        form.addWidget(self.submit_button)
        form.addStretch(1)
        self.keypad: Keypad | None = None
        lower = QHBoxLayout()
        lower.addLayout(form, 1)
        if touch:
            self.keypad = Keypad(points=26)
            self.keypad.digit.connect(self._type_digit)
            self.keypad.backspace.connect(lambda: self._set_birth_digits(self._birth_digits()[:-1]))
            self.keypad.clear.connect(lambda: self._set_birth_digits(""))
            lower.addWidget(self.keypad, 1)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        if touch:
            top.addStretch(1)
        top.addWidget(self.quota_label)
        layout.addLayout(top)
        layout.addLayout(grid, 2)
        layout.addLayout(lower, 2)
        layout.addWidget(self.result)
        # Tab goes category → date of birth → name → confirmation → issue, as the form reads.
        chain = [*self.buttons.values(), self.birth, self.name, self.confirm, self.submit_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.reset()
        self.refresh_quota()

    # --- state -------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the start: nothing chosen, nothing typed."""
        self.category = None
        self.group.setExclusive(False)
        for b in self.buttons.values():
            b.setChecked(False)
        self.group.setExclusive(True)
        self.birth.clear()
        self.name.clear()
        self.confirm.setChecked(False)
        self.show_result("", None)
        self._update_form()

    def choose(self, category: PriorityCategory) -> None:
        self.category = category
        self.buttons[category].setChecked(True)
        self.show_result("", None)
        self._update_form()
        if self.ctx.age_rule.needs_birth_date(category):
            self.birth.setFocus()
        elif self.confirm.isVisible():
            self.confirm.setFocus()  # the next thing to do: confirm (Space), then issue

    def _update_form(self) -> None:
        cat = self.category
        needs_birth = cat is not None and self.ctx.age_rule.needs_birth_date(cat)
        needs_confirm = cat is not None and not needs_birth
        full = self.quota == 0
        for b in self.buttons.values():
            b.setEnabled(not full)
        if full:
            self.question.setText(tr(C, "Kuota antrean prioritas hari ini sudah habis."))
        elif cat is None:
            self.question.setText(tr(C, "Pilih kategori prioritas di atas."))
        elif cat is PriorityCategory.LANSIA:
            self.question.setText(tr(C, "Tanggal lahir (minimal {age} tahun):", age=self.ctx.age_rule.lansia_min_age))
        elif cat is PriorityCategory.ANAK:
            self.question.setText(tr(C, "Tanggal lahir anak (di bawah {age} tahun):",
                                     age=self.ctx.age_rule.anak_under_age))
        else:
            self.question.setText(tr(C, "{category}: tidak perlu tanggal lahir.", category=category_label(cat)))
        self.birth.setVisible(needs_birth)
        self.name.setVisible(needs_birth and not self.touch)
        if self.keypad is not None:
            self.keypad.setVisible(needs_birth)
        self.confirm.setVisible(needs_confirm)
        self.submit_button.setEnabled(cat is not None and not full and not self._issuing
                                      and (not needs_confirm or self.confirm.isChecked()))

    def leave(self) -> None:
        """The officer went elsewhere (another tab, a scan's verdict): nothing typed or
        chosen waits here for the next applicant. A walk-in already sent to the service
        is not lost: its answer and ticket still come."""
        self.reset()

    def take_over(self, other: WalkInPanel) -> None:
        """After a language switch: what ``other`` (the panel this one replaces) showed —
        category, typed text, confirmation and the last answer — in the current language."""
        if other.category is not None:
            self.choose(other.category)
        self.birth.setText(other.birth.text())
        self.name.setText(other.name.text())
        self.confirm.setChecked(other.confirm.isChecked())
        self.last_result = other.last_result
        self.show_result(*other._result)
        # A walk-in still with the service answers the panel that sent it, which is gone
        # by then: it hands the answer (and the failure) on to this one.
        other._successor = self
        self._issuing = other._issuing
        self._update_form()

    def activate(self) -> None:
        """Shown: today's quota read again, the first category button focused."""
        self.refresh_quota()
        if self.buttons:
            next(iter(self.buttons.values())).setFocus()

    def refresh_quota(self) -> None:
        self.runner.submit(lambda: quota_left(self.ctx), split(self._set_quota))

    def _set_quota(self, left: int) -> None:
        if self._successor is not None:  # read for the panel a language switch replaced
            self._successor._set_quota(left)
            return
        self.quota = left
        total = self.ctx.config.priority.daily_quota
        self.quota_label.setText(tr(C, "Sisa kuota hari ini: {left} dari {total}", left=left, total=total))
        self.quota_label.setStyleSheet(f"color: {look.RED if left == 0 else look.NAVY};")
        self._update_form()

    # --- keypad ------------------------------------------------------------------------

    def _birth_digits(self) -> str:
        return re.sub(r"\D", "", self.birth.text())

    def _set_birth_digits(self, digits: str) -> None:
        self.birth.setText(format_birth_digits(digits[:8]))

    def _type_digit(self, d: str) -> None:
        self._set_birth_digits(self._birth_digits() + d)

    # --- issuing -----------------------------------------------------------------------

    def submit(self) -> None:
        cat = self.category
        if cat is None or self._issuing or self.quota == 0:
            return
        birth = None
        name = None
        if self.ctx.age_rule.needs_birth_date(cat):
            try:
                birth = parse_birth(self.birth.text(), self.ctx.today())
            except ValueError as exc:
                self.show_result(str(exc), look.AMBER)
                self.sounds.play("warning")
                return
            name = self.name.text().strip() or None
        elif not self.confirm.isChecked():
            self.show_result(lambda: tr(C, "Nyalakan konfirmasi dulu (Spasi) untuk kategori {category}.",
                                        category=category_label(cat)), look.AMBER)
            self.sounds.play("warning")
            return
        self._issuing = True  # one ticket per press, even on a double tap
        self.submit_button.setEnabled(False)
        self.show_result(lambda: tr(C, "Memeriksa…"), look.NAVY)
        actor = "self_service" if self.touch else "desk"
        self.runner.submit(lambda: walk_in(self.ctx, cat.value, birth=birth, name=name, actor=actor),
                           split(self._answered, self._failed))

    def _answered(self, result: WalkInResult) -> None:
        if self._successor is not None:  # replaced meanwhile (its widgets are deleted)
            self._successor._answered(result)
            return
        self.last_result = result
        self._issuing = False
        self._update_form()
        colour = _RESULT_COLOURS[result.outcome]
        text: str | Callable[[], str] = result.say or result.message
        if result.issued and result.ticket is not None:
            label = result.ticket.label
            text = lambda: tr(C, "Nomor {number} sedang dicetak. Silakan ambil tiket dan tunggu dipanggil.",  # noqa: E731
                              number=label)
        self.show_result(text, colour)
        self.sounds.play("accepted" if result.issued else "refused")
        if result.quota_left is not None:
            self._set_quota(result.quota_left)
        if result.issued:
            self.birth.clear()
            self.name.clear()
            self.confirm.setChecked(False)
            self.issued.emit(result)
        self.answered.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if self._successor is not None:
            self._successor._failed(exc)
            return
        self._issuing = False
        self._update_form()
        self.show_result(tr(C, "Tiket belum bisa dibuat: {reason}", reason=str(exc)[:200]), look.RED)
        self.sounds.play("refused")

    def show_result(self, text: str | Callable[[], str], colour: str | None) -> None:
        """The answer under the form; given as a function it follows a language switch."""
        self._result = (text if callable(text) else (lambda: text), colour)
        self.result.setText(self._result[0]())
        self.result.setProperty("colour", colour or "")
        if colour:
            self.result.setStyleSheet(f"background: {colour}; color: white; border-radius: 10px; padding: 10px;")
        else:
            self.result.setStyleSheet("")
