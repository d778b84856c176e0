"""A time-stamping authority made locally with `openssl ts` (RFC 3161): a root, a TSA certificate with
the critical timeStamping usage, and replies to requests — optionally at a given time (faketime)."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path, at: str | None = None, stdin: bytes | None = None) -> bytes:
    command = ["openssl", *args]
    if at is not None:
        command = ["faketime", at, *command]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, input=stdin).stdout


@dataclass
class LocalTSA:
    folder: Path

    @property
    def root_pem(self) -> str:
        return (self.folder / "root.crt").read_text(encoding="ascii")

    def reply(self, query: bytes, at: str | None = None) -> bytes:
        """The time-stamp response (DER) to a request (DER), dated now or at ``at`` (needs faketime)."""
        (self.folder / "query.tsq").write_bytes(query)
        _openssl("ts", "-reply", "-config", "openssl.cnf", "-queryfile", "query.tsq", "-out", "reply.tsr",
                 cwd=self.folder, at=at)
        return (self.folder / "reply.tsr").read_bytes()

    def stamp(self, digest: bytes, algorithm: str = "sha256") -> bytes:
        """The response to a request over ``digest`` said to be of ``algorithm`` (openssl ts -query -digest), which
        this TSA is told to accept: e.g. a SHA-256 value stamped as if it were a SHA3-256 digest."""
        config = self.folder / "openssl.cnf"
        text = config.read_text(encoding="utf-8")
        if algorithm != "sha256" and f", {algorithm}" not in text:
            config.write_text(text.replace("digests = sha256", f"digests = sha256, {algorithm}"), encoding="utf-8")
        query = _openssl("ts", "-query", f"-{algorithm}", "-digest", digest.hex(), "-cert", cwd=self.folder)
        return self.reply(query)

    @contextmanager
    def serve(self) -> Iterator[str]:
        """An HTTP TSA on 127.0.0.1 answering ``application/timestamp-query`` posts; yields its URL."""
        tsa = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = tsa.reply(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def make_tsa(folder: Path, name: str = "测试时间戳服务", at: str | None = "2026-01-01 00:00:00") -> LocalTSA:
    """A root certificate and a TSA certificate signed by it (valid 2026–2036 unless ``at`` is None)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openssl.cnf").write_text(CONFIG.format(dir=folder), encoding="utf-8")
    (folder / "serial").write_text("01\n", encoding="ascii")
    (folder / "ext.cnf").write_text("basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\n"
                                    "extendedKeyUsage=critical,timeStamping\n", encoding="ascii")
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key",
             "-out", "root.crt", "-days", "3650", "-subj", f"/CN={name} 根证书", "-utf8", cwd=folder, at=at)
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tsa.key",
             "-out", "tsa.csr", "-subj", f"/CN={name}", "-utf8", cwd=folder, at=at)
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "root.crt", "-CAkey", "root.key", "-CAcreateserial",
             "-out", "tsa.crt", "-days", "3650", "-extfile", "ext.cnf", cwd=folder, at=at)
    return LocalTSA(folder)


def faketime_available() -> bool:
    return shutil.which("faketime") is not None
