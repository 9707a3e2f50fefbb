#!/usr/bin/env python3
"""qemu/run --serial, the real-board runner, against stand-ins for a board
on a USB-serial adapter (docs/rpi4.md):

(a) a fake board on a pseudo-terminal pair: output left over from an
    earlier boot (even a halt marker) must not count, the --timeout clock
    starts at the banner, commands go out only after a prompt;
(b) nothing ever boots: --banner-timeout ends the wait with status 124;
(c) the kernel from the SD card (build/sdcard/boot/) on QEMU raspi4b with
    its mini UART on a pty, started only once the runner is listening, as
    a user powers a board on: `cpus`, an on-target suite run from the
    shell (`test params`, read back as KTAP) and the halt marker.
Missing images fail; they never skip."""
import os
import re
import select
import subprocess
import sys
import threading
import time
import tty
sys.dont_write_bytecode = True
import targetlib as t

CARD = os.path.join(t.REPO, "build", "sdcard", "boot")
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")


def runner(tag, dev, extra, timeout):
    """qemu/run --serial DEV in the background; returns the Popen."""
    os.makedirs(t.LOG_DIR, exist_ok=True)
    argv = [sys.executable, t.RUNNER, "--serial", dev, "--log",
            os.path.join(t.LOG_DIR, f"{tag}.log"), "--timeout", str(timeout)] + extra
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def finish(proc, limit):
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        err += b"\n(test: runner killed after %d s)" % limit
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def wait_listening(proc, limit=10):
    """The runner says on stderr when it waits for the banner."""
    seen, end = b"", time.monotonic() + limit
    while time.monotonic() < end and b"power the board on" not in seen:
        r, _, _ = select.select([proc.stderr], [], [], 0.2)
        if r:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    return seen


class FakeBoard(threading.Thread):
    """Speaks like Rondo on the master side of a pty: stale output, then a
    boot, a prompt, answers to `cpus`, and the halt marker on poweroff."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.fd = master
        self.got = b""
        self.early = b""

    def say(self, text):
        os.write(self.fd, text.replace(b"\n", b"\r\n"))

    def run(self):
        try:
            self.say(b"rondo> poweroff\nrondo: system halted\n")   # the last session
            # Nothing may answer that stale prompt.
            end = time.monotonic() + 1.0
            while time.monotonic() < end:
                if select.select([self.fd], [], [], max(end - time.monotonic(), 0))[0]:
                    self.early += os.read(self.fd, 1024)
            self.say(b"[C0] Rondo booting on CPU0 (MPIDR 0x0), entered at EL2\n\nrondo> ")
            buf = b""
            while b"poweroff\r" not in buf:
                r, _, _ = select.select([self.fd], [], [], 5)
                if not r:
                    return
                data = os.read(self.fd, 1024)
                buf += data
                self.got += data
                if buf.endswith(b"cpus\r"):
                    self.say(b"cpus\npossible: 0-3\npresent: 0-3\nonline: 0-3\nactive: 0-3\nrondo> ")
            self.say(b"poweroff\nrondo: system halted\n")
            time.sleep(3)
        except OSError:
            pass


def fake_board(tap):
    master, slave = os.openpty()
    # A UART does not echo what it receives; a fresh pty would.
    tty.setraw(slave)
    dev = os.ttyname(slave)
    board = FakeBoard(master)
    start = time.monotonic()
    proc = runner(f"{t.test_name()}-fake", dev, ["--cmds", "cpus; poweroff"], 20)
    # Speak only once the runner listens, so the stale lines reach it.
    wait_listening(proc)
    board.start()
    rc, out, err = finish(proc, 40)
    took = time.monotonic() - start
    os.close(slave)
    tap.ok(rc == 0, f"fake board: qemu/run exit {rc} (0: halted after the banner)",
           diag=err.splitlines()[-5:])
    tap.ok(board.early == b"" and board.got == b"cpus\rpoweroff\r",
           "fake board: the runner sent exactly 'cpus' and 'poweroff', each after a prompt",
           diag=[f"before the banner: {board.early!r}, after: {board.got!r}"])
    tap.ok(took > 1.0 and "rondo> poweroff" in out,
           "fake board: the stale halt marker from before the banner was seen and ignored",
           diag=[f"finished after {took:.1f} s"])
    tap.ok("active: 0-3" in out, "fake board: its answers were echoed")
    os.close(master)


def no_banner(tap):
    master, slave = os.openpty()
    start = time.monotonic()
    proc = runner(f"{t.test_name()}-silent", os.ttyname(slave),
                  ["--banner-timeout", "2", "--cmds", "cpus"], 60)
    rc, _out, err = finish(proc, 30)
    took = time.monotonic() - start
    os.close(slave)
    os.close(master)
    tap.ok(rc == 124 and "waiting for the banner" in err,
           f"silent board: timeout (exit {rc}) waiting for the banner", diag=err.splitlines()[-3:])
    tap.ok(took < 20, f"silent board: --banner-timeout 2 ended the wait ({took:.1f} s)")


def qemu_board(tap):
    kernel, dtb = os.path.join(CARD, "kernel8.img"), os.path.join(CARD, "bcm2711-rpi-4-b.dtb")
    if not tap.ok(os.path.isfile(kernel) and os.path.isfile(dtb),
                  "build/sdcard/boot/ has kernel8.img and the DTB",
                  diag=["run make sdcard (make test does)"]):
        return
    # -S: the CPUs wait, like a board that is not powered yet.  The monitor
    # on stdio says which pty the mini UART got and later takes "cont".
    qemu = subprocess.Popen([QEMU, "-M", "raspi4b", "-kernel", kernel, "-dtb", dtb,
                             "-display", "none", "-nic", "none", "-monitor", "stdio", "-S",
                             "-serial", "null", "-serial", "pty"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        seen, end, dev = b"", time.monotonic() + 20, None
        while dev is None and time.monotonic() < end:
            r, _, _ = select.select([qemu.stdout], [], [], 0.5)
            if r:
                chunk = os.read(qemu.stdout.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
                m = re.search(rb"char device redirected to (/dev/pts/\d+) \(label serial1\)", seen)
                dev = m.group(1).decode() if m else None
        if not tap.ok(dev is not None, "QEMU put the Pi's mini UART on a pty",
                      diag=[seen.decode(errors="replace")]):
            return
        proc = runner(f"{t.test_name()}-qemu", dev,
                      ["--banner-timeout", "30", "--cmds", "cpus; test params; poweroff"], 90)
        listening = wait_listening(proc)
        tap.ok(b"power the board on" in listening, "the runner opened the port and waits",
               diag=[listening.decode(errors="replace")])
        qemu.stdin.write(b"cont\n")      # power on
        qemu.stdin.flush()
        rc, out, err = finish(proc, 150)
        run = t.Run(f"{t.test_name()}-qemu", rc, out.encode(), err,
                    os.path.join(t.LOG_DIR, f"{t.test_name()}-qemu.log"))
        before = tap.failed
        t.check_cpus(tap, run, "pty", {k: "0-3" for k in
                                       ("possible", "present", "online", "active")})
        for c in t.ktap.checks(t.ktap.parse(out)):
            tap.ok(c.ok, "pty: " + c.desc, c.directive, c.diagnostics)
        tap.ok(rc == 0, f"pty: ended on the halt marker, qemu/run {run.outcome()}")
        t.finish_run(tap, run, before)
    finally:
        qemu.kill()
        qemu.wait()


tap = t.Tap()
fake_board(tap)
no_banner(tap)
qemu_board(tap)
sys.exit(tap.done())
