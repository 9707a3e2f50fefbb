"""qemu/run --serial DEV: the same runner, pointed at a real board's UART.

The port is opened at 115200 8N1, raw, no flow control (what the Pi 4's
mini UART and a 3.3 V USB-serial adapter speak).  Supervised mode waits for
the kernel's banner, which appears once the user powers the board on, and
only then starts the --timeout clock, feeds --cmds after each prompt and
watches for the final marker lines, exactly as with QEMU.  Interactive
mode (a terminal and nothing to automate) is a plain terminal: Ctrl-A X
quits, Ctrl-A Ctrl-A sends a Ctrl-A.
"""

import os
import select
import sys
import termios
import time
import tty

BANNER = b"Rondo booting"
BAUD = termios.B115200
CTRL_A = b"\x01"


def open_port(dev):
    """The tty in raw 8N1 at 115200; stale input from before is dropped."""
    fd = os.open(dev, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        attrs = termios.tcgetattr(fd)
        iflag, oflag, cflag, lflag, _ispeed, _ospeed, cc = attrs
        iflag = 0                       # no CR/LF mapping, no XON/XOFF
        oflag = 0                       # bytes go out as written
        lflag = 0                       # no echo, no line editing, no signals
        cflag = (cflag & ~(termios.CSIZE | termios.PARENB | termios.CSTOPB
                           | getattr(termios, "CRTSCTS", 0)))
        cflag |= termios.CS8 | termios.CREAD | termios.CLOCAL
        cc[termios.VMIN] = 0
        cc[termios.VTIME] = 0
        termios.tcsetattr(fd, termios.TCSANOW,
                          [iflag, oflag, cflag, lflag, BAUD, BAUD, cc])
        termios.tcflush(fd, termios.TCIFLUSH)
    except termios.error:
        # Not a terminal (a FIFO or a plain file in a test): use it as is.
        pass
    return fd


def _read(fd):
    try:
        return os.read(fd, 65536)
    except BlockingIOError:
        return b""
    except OSError:
        return None      # EIO: the adapter was unplugged, or the pty closed


def supervise(args, commands, con, codes):
    """Returns the runner's exit status (codes: 'panic', 'timeout')."""
    try:
        fd = open_port(args.serial)
    except OSError as e:
        print(f"qemu/run: cannot open {args.serial}: {e}", file=sys.stderr)
        return 1
    wait = args.banner_timeout
    print(f"qemu/run: {args.serial} at 115200 8N1; power the board on now "
          f"(waiting {'without limit' if wait == 0 else f'{wait:g} s'} for '{BANNER.decode()}')",
          file=sys.stderr)
    sys.stderr.flush()
    try:
        return _watch(fd, args, commands, con, codes)
    finally:
        os.close(fd)


def _watch(fd, args, commands, con, codes):
    now = time.monotonic()
    deadline = now + args.banner_timeout if args.banner_timeout > 0 else None
    booted = False
    seen = b""               # unsearched tail, to find a banner split across reads
    halt_deadline = None
    pending = b""
    next_cmd = 0

    while True:
        now = time.monotonic()
        if booted and con.panicked:
            return codes["panic"]
        if booted and con.halted and halt_deadline is None:
            halt_deadline = now + codes["halt_grace"]
        if halt_deadline is not None and now >= halt_deadline:
            return 0
        if deadline is not None and now >= deadline:
            what = "the banner" if not booted else "the kernel"
            limit = args.banner_timeout if not booted else args.timeout
            print(f"\nqemu/run: timeout after {limit:g} s waiting for {what}", file=sys.stderr)
            return codes["timeout"]

        if booted and not pending and next_cmd < len(commands) and con.prompt_seen():
            pending = commands[next_cmd] + b"\r"
            next_cmd += 1
            con.mark_sent()

        waits = [t - now for t in (deadline, halt_deadline) if t is not None]
        wait_s = max(min([0.5] + waits), 0)
        readable, writable, _ = select.select([fd], [fd] if pending else [], [], wait_s)
        if writable and pending:
            try:
                # A real UART drains slowly; write what it takes now.
                n = os.write(fd, pending[:64])
                pending = pending[n:]
            except BlockingIOError:
                pass
            except OSError as e:
                print(f"\nqemu/run: writing to {args.serial}: {e}", file=sys.stderr)
                return 1
        if not readable:
            continue
        data = _read(fd)
        if data is None:
            print(f"\nqemu/run: {args.serial} went away", file=sys.stderr)
            return 1
        if not data:
            # A pty whose other side is not open yet reads as empty; don't spin.
            time.sleep(0.05)
            continue
        if booted:
            con.feed(data)
            continue
        # Before the banner: echo and log, but no marker counts; it may be
        # left over from an earlier boot.  Split the read at the banner so
        # that whatever follows it in the same read does count.
        before = len(seen)
        seen += data
        pos = seen.find(BANNER)
        if pos < 0:
            con.feed(data)
            con.halted = con.panicked = False
            seen = seen[-(len(BANNER) - 1):]
            continue
        split = max(pos - before, 0)
        con.feed(data[:split])
        con.halted = con.panicked = False
        con.mark_sent()
        booted = True
        deadline = time.monotonic() + args.timeout if args.timeout > 0 else None
        con.feed(data[split:])


def interactive(args, log_path=None):
    """A minimal terminal on the port; returns the exit status."""
    try:
        fd = open_port(args.serial)
    except OSError as e:
        print(f"qemu/run: cannot open {args.serial}: {e}", file=sys.stderr)
        return 1
    print(f"qemu/run: {args.serial} at 115200 8N1; quit with Ctrl-A X", file=sys.stderr)
    log = open(log_path, "ab") if log_path else None
    stdin = sys.stdin.fileno()
    saved = termios.tcgetattr(stdin)
    escape = False
    try:
        tty.setraw(stdin)
        while True:
            readable, _, _ = select.select([fd, stdin], [], [])
            if fd in readable:
                data = _read(fd)
                if data is None:
                    return 1
                if data:
                    os.write(sys.stdout.fileno(), data)
                    if log:
                        log.write(data)
                        log.flush()
                else:
                    time.sleep(0.05)
            if stdin in readable:
                out = b""
                for b in os.read(stdin, 1024):
                    c = bytes([b])
                    if escape:
                        escape = False
                        if c in (b"x", b"X"):
                            return 0
                        out += c          # Ctrl-A Ctrl-A (or anything else) goes out
                    elif c == CTRL_A:
                        escape = True
                    else:
                        out += c
                if out:
                    os.write(fd, out)
    finally:
        termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
        os.close(fd)
        if log:
            log.close()
        print("", file=sys.stderr)
