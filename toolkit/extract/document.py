"""One raw document -> the canonical frames (see toolkit.schemas).

Contract used by ``toolkit.run``::

    frames = extract_document(raw, document_id=..., path=..., sha256=..., size_bytes=...)
    # frames: dict[str, pl.DataFrame] keyed like toolkit.schemas.FRAME_SCHEMAS
"""
