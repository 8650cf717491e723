"""The desk's supervisor actions behind the PIN: reprint, override a void code, cancel a
ticket, open the settings. Each asks in a :class:`SupervisorDialog`, runs the service on
the window's runner (the service checks the PIN and the rule) and asks again in the same
dialog when the PIN is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.i18n import tr
from kiosk.services import cancel_ticket, override_void, reprint, verify_pin
from kiosk.services.results import CheckInOutcome, CheckInResult
from kiosk.services.supervisor import PinLocked, PinRejected
from kiosk.ui import look
from kiosk.ui.handlers import plain_error, split
from kiosk.ui.supervisor import SupervisorDialog

if TYPE_CHECKING:
    from kiosk.ui.desk_window import DeskWindow

C = "Desk"


class SupervisorActions:
    """Mixed into :class:`DeskWindow` (which holds the runner, the tabs and the signals)."""

    def _verdict_action(self: DeskWindow, action: str) -> None:
        if action == "reprint":
            self.request_reprint()
        elif action == "override":
            self.request_override()

    def _ask(self: DeskWindow, dialog: SupervisorDialog) -> dict[str, str] | None:
        return dialog.values() if dialog.exec() == SupervisorDialog.DialogCode.Accepted else None

    def _supervised(self: DeskWindow, action: str, call: Callable[[], Any], done: Callable[[Any], None],
                    dialog: SupervisorDialog | None = None,
                    again: Callable[[dict[str, str]], None] | None = None) -> None:
        def failed(exc: BaseException) -> None:
            if dialog is not None and again is not None and isinstance(exc, (PinRejected, PinLocked)):
                # Asked again in the same dialog, which says why (on any tab).
                self.play("refused")
                dialog.show_error(plain_error(exc))
                values = self._ask(dialog)
                if values:
                    again(values)
                else:
                    self.supervisor_done.emit(action, False)
                return
            self.scan.show_notice(lambda: plain_error(exc), look.RED)
            self.play("refused")
            self.supervisor_done.emit(action, False)

        def succeeded(result: Any) -> None:
            done(result)
            self.supervisor_done.emit(action, True)

        self.runner.submit(call, split(succeeded, failed))

    def _last_ticket_label(self: DeskWindow) -> str | None:
        r = self.last_result
        return r.ticket.label if r is not None and r.ticket is not None else self.today.selected_number()

    def request_reprint(self: DeskWindow) -> None:
        dialog = SupervisorDialog(tr(C, "Cetak ulang tiket"), tr(
            C, "Tiket dicetak ulang dengan tanda CETAK ULANG. Perlu PIN supervisor."), self,
            number=self._last_ticket_label(), ask_number=True)
        values = self._ask(dialog)
        if values:
            self.do_reprint(values["number"], values["pin"], dialog)

    def do_reprint(self: DeskWindow, number: str, pin: str, dialog: SupervisorDialog | None = None) -> None:
        def done(result: Any) -> None:
            ticket, _job = result
            self.devices.job_queued()
            self.scan.show_notice(lambda: tr(C, "Cetak ulang {number} dikirim ke printer.", number=ticket.label), look.GREEN)
        self._supervised("reprint", lambda: reprint(self.ctx, number, pin=pin, actor="supervisor"), done,
                         dialog, lambda v: self.do_reprint(v["number"], v["pin"], dialog))

    def request_override(self: DeskWindow) -> None:
        r = self.last_result
        if r is None or r.outcome is not CheckInOutcome.VOID or not self.last_code:
            self.scan.show_notice(lambda: tr(C, "Pindai dulu kode booking yang hangus, lalu tekan F8."), look.AMBER)
            return
        dialog = SupervisorDialog(tr(C, "Kecualikan kode hangus"), tr(
            C, "Kode {code} hangus. Tiket tetap diterbitkan bila supervisor mengizinkan; alasannya dicatat.",
            code=self.last_code), self, ask_reason=True)
        values = self._ask(dialog)
        if values:
            self.do_override(self.last_code, values["reason"], values["pin"], dialog)

    def do_override(self: DeskWindow, code: str, reason: str, pin: str, dialog: SupervisorDialog | None = None) -> None:
        def done(result: CheckInResult) -> None:
            self._render(result)
            self.play("accepted")
            self.devices.job_queued()
            self.scan.show_notice(lambda: tr(C, "Dikecualikan oleh supervisor: {reason}", reason=reason), look.GREEN)
            self.verdict_shown.emit(result)
        self._supervised("override", lambda: override_void(self.ctx, code, pin=pin, reason=reason,
                                                           actor="supervisor"), done,
                         dialog, lambda v: self.do_override(code, v["reason"], v["pin"], dialog))

    def request_cancel(self: DeskWindow) -> None:
        dialog = SupervisorDialog(tr(C, "Batalkan tiket"), tr(
            C, "Tiket yang dibatalkan tidak akan dipanggil. Alasannya dicatat."), self,
            number=self.today.selected_number(), ask_number=True, ask_reason=True)
        values = self._ask(dialog)
        if values:
            self.do_cancel(values["number"], values["reason"], values["pin"], dialog)

    def do_cancel(self: DeskWindow, number: str, reason: str, pin: str, dialog: SupervisorDialog | None = None) -> None:
        def done(ticket: Any) -> None:
            self.scan.show_notice(lambda: tr(C, "Tiket {number} dibatalkan.", number=ticket.label), look.GREEN)
        self._supervised("cancel", lambda: cancel_ticket(self.ctx, number, pin=pin, reason=reason, actor="supervisor"),
                         done, dialog,
                         lambda v: self.do_cancel(v["number"], v["reason"], v["pin"], dialog))

    def request_settings(self: DeskWindow) -> None:
        dialog = SupervisorDialog(tr(C, "Pengaturan"), tr(C, "Pengaturan perlu PIN supervisor."), self)
        values = self._ask(dialog)
        if values:
            self.do_open_settings(values["pin"], self._settings_dialog, dialog)

    def _settings_dialog(self: DeskWindow) -> None:
        from kiosk.ui.settings_dialog import ConfigDialog  # the office's whole settings model

        dialog = ConfigDialog(self.ctx, self.runner, self, actor="supervisor")
        if dialog.exec() == ConfigDialog.DialogCode.Accepted and dialog.saved is not None:
            self.apply_config(dialog.saved)
            if dialog.needs_restart:  # "Disimpan. Mulai ulang aplikasi agar berlaku: Kode kantor"
                self.scan.show_notice(dialog.result.text(), look.AMBER)

    def do_open_settings(self: DeskWindow, pin: str, then: Callable[[], None], dialog: SupervisorDialog | None = None) -> None:
        self._supervised("settings", lambda: verify_pin(self.ctx, pin, actor="supervisor", action="settings"),
                         lambda _: then(), dialog, lambda v: self.do_open_settings(v["pin"], then, dialog))
