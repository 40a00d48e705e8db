"""An aiosmtpd handler that writes each message it receives to <outdir>/<n>.eml (atomically) and its
envelope (MAIL FROM, then each RCPT TO, a line each) to <outdir>/<n>.env, so a test can read back exactly
what a helpdesk sent to its relay. A file <outdir>/reply makes it answer every DATA with that file's
content instead (e.g. `451 try later`), to play a relay that refuses.

    PYTHONPATH=tests/support python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c sink_handler.Sink OUTDIR

Used by the fault and two-node scripts (tests/support/lib.sh) and the email adapter's outbound tests.
"""
import os


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        forced = os.path.join(self.outdir, "reply")
        if os.path.exists(forced):
            with open(forced) as f:
                return f.read().strip()
        self.n += 1
        base = os.path.join(self.outdir, "%05d" % self.n)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n" + "\n".join(envelope.rcpt_tos) + "\n")
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK queued as %d" % self.n
