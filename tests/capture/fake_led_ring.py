"""A pretend LED ring controller on the far end of a real pseudo-terminal pair.

The driver under test opens the pty's slave side with pyserial exactly as it would open /dev/ttyUSB0;
this class plays the device on the master side, speaking docs/lighting-serial-protocol.md. It records
every byte it receives, so tests can check what went over the wire, and it can be told to vanish (close
its end, as when the USB cable is pulled), to stay silent, or to refuse a mode.
"""

from __future__ import annotations

import os
import select
import threading
import tty
from collections.abc import Callable, Sequence

from dermdesk.capture.lighting import LightingMode


class FakeLedRing:
    def __init__(
        self,
        modes: Sequence[str] = ("off", "white", "white_polarised", "uv_365"),
        *,
        vanish_on_command: int | None = None,
        silent: bool = False,
        refuse: dict[str, str] | None = None,
        greeting: bytes = b"# fake LED ring v1\n",
        on_mode: Callable[[LightingMode], None] | None = None,
    ) -> None:
        self.modes = list(modes)
        self.vanish_on_command = vanish_on_command  # close the port on receiving command number N (1-based)
        self.silent = silent
        self.refuse = refuse or {}
        self.on_mode = on_mode
        self.received = bytearray()
        self.mode = "off"
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        self.port = os.ttyname(self._slave)
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="fake-led-ring", daemon=True)
        self._greeting = greeting
        self._thread.start()

    @property
    def lines(self) -> list[str]:
        return bytes(self.received).decode("ascii").splitlines()

    def vanish(self) -> None:
        """Pull the cable: close the device's end of the pty (the serving thread then ends)."""
        with self._lock:
            self._vanish_locked()

    def _vanish_locked(self) -> None:
        if not self._closed:
            self._closed = True
            os.close(self._master)

    def close(self) -> None:
        self.vanish()
        self._thread.join(timeout=2)
        os.close(self._slave)

    def _reply(self, text: str) -> None:
        if not self.silent:
            os.write(self._master, f"{text}\n".encode("ascii"))

    def _serve(self) -> None:
        buffer = b""
        commands = 0
        while True:
            with self._lock:
                if self._closed:
                    return
                ready, _, _ = select.select([self._master], [], [], 0)
                data = os.read(self._master, 256) if ready else b""
                self.received += data
                buffer += data
                while b"\n" in buffer:
                    raw, buffer = buffer.split(b"\n", 1)
                    commands += 1
                    if commands == self.vanish_on_command:
                        self._vanish_locked()
                        return
                    self._answer(raw.decode("ascii").strip())
            if not data:
                select.select([], [], [], 0.01)  # idle: poll again shortly, lock released

    def _answer(self, line: str) -> None:
        if self._greeting:
            os.write(self._master, self._greeting)  # a log line first: the driver must skip it
            self._greeting = b""
        if line == "MODES?":
            self._reply("MODES " + ",".join(self.modes))
        elif line == "MODE?":
            self._reply(f"MODE {self.mode}")
        elif line.startswith("MODE "):
            name = line[5:]
            if name in self.refuse:
                self._reply(f"ERR {self.refuse[name]}")
            elif name not in self.modes:
                self._reply(f"ERR unknown mode {name}")
            else:
                self.mode = name
                if self.on_mode is not None:
                    self.on_mode(LightingMode(name))
                self._reply(f"OK {name}")
        else:
            self._reply("ERR unknown command")
