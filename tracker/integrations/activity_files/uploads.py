"""Reading an upload of activity files without keeping more than it may hold: a file past
IMPORT_FILE_MAX_BYTES, or past what IMPORT_FILES_AT_ONCE such files come to together, is
skipped as it arrives (nothing more of it kept in memory or on disk) and its name noted, so
that the form refuses it in words. Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class FileSizeCap(FileUploadHandler):
    """First of the request's upload handlers: passes each chunk on to the usual ones until
    the file, or the upload as a whole, is larger than allowed."""

    def __init__(self, request=None):
        super().__init__(request)
        self.file_bytes = 0
        self.total_bytes = 0
        self.too_large: list[str] = []

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.file_bytes += len(raw_data)
        self.total_bytes += len(raw_data)
        most = settings.IMPORT_FILE_MAX_BYTES
        if self.file_bytes > most or self.total_bytes > most * settings.IMPORT_FILES_AT_ONCE:
            self.too_large.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


def cap_file_sizes(request) -> FileSizeCap:
    """Put the cap in front of the request's upload handlers; before its body is read."""
    cap = FileSizeCap(request)
    request.upload_handlers.insert(0, cap)
    return cap
