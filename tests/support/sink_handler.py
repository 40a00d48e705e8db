"""An aiosmtpd handler that writes each message it receives to <outdir>/<n>.eml (atomically), so a test
can read back exactly what a helpdesk sent to its relay:

    PYTHONPATH=tests/support python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c sink_handler.Sink OUTDIR
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
        self.n += 1
        path = os.path.join(self.outdir, "%05d.eml" % self.n)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK queued as %d" % self.n
