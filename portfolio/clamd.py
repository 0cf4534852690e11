"""A small client for clamd's INSTREAM command, over a Unix socket or TCP.

Settings: CLAMD_SOCKET (a path) or CLAMD_HOST and CLAMD_PORT; both empty means no scanning.
The caller decides what a failure means (portfolio.files refuses the upload: fail closed).
"""

import socket
import struct

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

TIMEOUT_SECONDS = 30
CHUNK_BYTES = 64 * 1024
MAX_REPLY_BYTES = 4096
CLEAN = "stream: OK"


def scanning_enabled() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_HOST)


def _connect() -> socket.socket:
    if settings.CLAMD_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(TIMEOUT_SECONDS)
        try:
            connection.connect(settings.CLAMD_SOCKET)
        except OSError:
            connection.close()
            raise
        return connection
    return socket.create_connection(
        (settings.CLAMD_HOST, settings.CLAMD_PORT), timeout=TIMEOUT_SECONDS
    )


def instream(upload: UploadedFile) -> str:
    """clamd's verdict on the file, e.g. "stream: OK" or "stream: <name> FOUND".

    Raises OSError when clamd cannot be reached or stops answering.
    """
    with _connect() as connection:
        connection.sendall(b"zINSTREAM\0")
        upload.seek(0)
        while chunk := upload.read(CHUNK_BYTES):
            connection.sendall(struct.pack(">I", len(chunk)) + chunk)
        connection.sendall(struct.pack(">I", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < MAX_REPLY_BYTES:
            data = connection.recv(MAX_REPLY_BYTES)
            if not data:
                break
            reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()
