"""An LED ring controller on a serial port, spoken to in short ASCII lines (pyserial).

The protocol is written down in docs/lighting-serial-protocol.md; in short, one command line, one reply
line, ``\\n``-terminated:

    MODES?            ->  MODES white,white_polarised,uv_365
    MODE uv_365       ->  OK uv_365        |  ERR <reason>
    MODE?             ->  MODE uv_365

Lines the device sends that start with ``#`` are its own log lines and are skipped. A reply that does
not come within ``timeout_s`` is a LightingError; so is a port that vanishes (USB cable pulled): the
driver closes the port, and every later call says the ring is no longer connected.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import serial

from dermdesk.capture.lighting.controller import LightingError, check_offered, in_enum_order
from dermdesk.capture.lighting.modes import LightingMode
from dermdesk.i18n import _

log = logging.getLogger(__name__)

DEFAULT_BAUDRATE = 115200
DEFAULT_TIMEOUT_S = 1.0
MAX_LINE_BYTES = 256

SerialFactory = Callable[..., Any]

try:  # on POSIX, pyserial lets termios.error (not an OSError) through from a port that has gone away
    import termios

    _PORT_ERRORS: tuple[type[Exception], ...] = (serial.SerialException, OSError, termios.error)
except ImportError:  # Windows
    _PORT_ERRORS = (serial.SerialException, OSError)
_OPEN_ERRORS: tuple[type[Exception], ...] = (*_PORT_ERRORS, ValueError)  # ValueError: bad port settings


class SerialLedRing:
    """A LightingController for an LED ring on ``port`` (e.g. ``/dev/ttyUSB0``, ``COM3``); thread-safe."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = DEFAULT_BAUDRATE,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        serial_factory: SerialFactory = serial.Serial,
    ) -> None:
        self.port = port
        self.name = f"LED ring on {port}"
        self.baudrate = baudrate
        self.timeout_s = timeout_s
        self._factory = serial_factory
        self._serial: Any = None
        self._modes: tuple[LightingMode, ...] = ()
        self._current: LightingMode | None = None
        self._lock = threading.Lock()
        self._gone = False

    # --- lifecycle -------------------------------------------------------------------------------

    def open(self) -> None:
        """Open the port and ask the ring which modes it has; LightingError when either fails."""
        with self._lock:
            try:
                self._serial = self._factory(
                    self.port, baudrate=self.baudrate, timeout=self.timeout_s, write_timeout=self.timeout_s
                )
            except _OPEN_ERRORS as exc:
                raise LightingError(
                    _("The LED ring on {port} could not be opened — is it plugged in? ({exc})").format(
                        port=self.port, exc=exc
                    )
                ) from exc
            self._gone = False
            reply = self._command("MODES?", expect="MODES")
        names = [name.strip() for name in reply.split(",") if name.strip()]
        known = []
        for name in names:
            try:
                known.append(LightingMode(name))
            except ValueError:
                log.warning("%s offers a mode DermDesk does not know: %r (ignored)", self.name, name)
        self._modes = in_enum_order(known)
        if not self._modes:
            self.close()
            raise LightingError(
                _("The LED ring on {port} reports no lighting modes DermDesk knows.").format(port=self.port)
            )
        log.info("%s opened: %s", self.name, ", ".join(m.value for m in self._modes))

    def close(self) -> None:
        with self._lock:
            port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except _PORT_ERRORS as exc:
                log.warning("Closing %s: %s", self.name, exc)

    # --- LightingController ----------------------------------------------------------------------

    def available_modes(self) -> tuple[LightingMode, ...]:
        return self._modes

    @property
    def current_mode(self) -> LightingMode | None:
        return self._current

    def set_mode(self, mode: LightingMode) -> None:
        check_offered(self.name, mode, self._modes)
        with self._lock:
            reply = self._command(f"MODE {mode.value}", expect="OK")
        if reply != mode.value:
            raise LightingError(
                _("The LED ring confirmed {reply!r} instead of {value!r}.").format(
                    reply=reply, value=mode.value
                )
            )
        self._current = mode
        log.info("%s: %s", self.name, mode.value)

    def query_mode(self) -> LightingMode | None:
        """Ask the ring which mode it is in (``MODE?``); None when it reports one DermDesk lacks."""
        with self._lock:
            reply = self._command("MODE?", expect="MODE")
        try:
            return LightingMode(reply)
        except ValueError:
            return None

    # --- the wire ---------------------------------------------------------------------------------

    def _command(self, line: str, *, expect: str) -> str:
        """Send one command line and return the text after ``expect`` in its reply (lock held)."""
        port = self._serial
        if port is None:
            raise LightingError(self._gone_message() if self._gone else f"{self.name} is not open.")
        try:
            port.reset_input_buffer()  # a stale line from before must not answer this command
            port.write(f"{line}\n".encode("ascii"))
            port.flush()
            reply = self._read_reply(port)
        except _PORT_ERRORS as exc:
            self._lost(exc)
            raise LightingError(self._gone_message()) from exc
        keyword, _sep, rest = reply.partition(" ")
        if keyword == "ERR":
            raise LightingError(
                _("The LED ring refused “{line}”: {value}.").format(
                    line=line, value=rest or "no reason given"
                )
            )
        if keyword != expect:
            raise LightingError(
                _("The LED ring answered “{reply}” to “{line}” — is it an LED ring?").format(
                    reply=reply, line=line
                )
            )
        return rest.strip()

    def _read_reply(self, port: Any) -> str:
        """The next reply line (log lines skipped), gathered across partial reads until the deadline."""
        deadline = time.monotonic() + self.timeout_s
        buffer = b""
        while time.monotonic() < deadline:
            chunk: bytes = port.readline(MAX_LINE_BYTES)  # returns early (maybe empty) at the port timeout
            buffer += chunk
            if not buffer.endswith(b"\n"):
                if len(buffer) > MAX_LINE_BYTES:
                    raise LightingError(
                        _("The LED ring on {port} sends garbled data: {buffer!r}").format(
                            port=self.port, buffer=buffer[:40]
                        )
                    )
                continue
            text, buffer = buffer.decode("ascii", errors="replace").strip(), b""
            if text and not text.startswith("#"):
                return text
        raise LightingError(
            _(
                "The LED ring on {port} did not answer within {timeout_s:g} s — check its cable and power."
            ).format(port=self.port, timeout_s=self.timeout_s)
        )

    def _lost(self, exc: BaseException) -> None:
        log.error("%s vanished: %s", self.name, exc)
        self._gone = True
        port, self._serial = self._serial, None
        try:
            port.close()
        except _PORT_ERRORS as close_exc:  # the device is gone; so may be its handle
            log.debug("Closing the vanished %s: %s", self.name, close_exc)

    def _gone_message(self) -> str:
        return f"The LED ring on {self.port} is no longer connected — check its USB cable."
