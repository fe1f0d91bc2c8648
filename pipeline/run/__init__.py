"""Running extraction over many documents: the batch journal (``batch``: resumable, atomic,
input order), the worker pool (``pool``) and very large files streamed in chunks (``stream``)."""
