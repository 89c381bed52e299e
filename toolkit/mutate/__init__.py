"""Mutation harness: inject one known fault at a time into real documents and measure detection.

A mutant is a copy of a real document with exactly one fault injected *at the source*
(the text file, the DOCX/XLSX zip part, the PDF content stream), so the loaders read it
back with the document's own layout and quirks. Where the source cannot be edited in
place the document is re-rendered through ``toolkit.render`` and the mutant is labelled
``re-rendered``, so results on real and re-rendered layouts are reported apart.

Modules (one job each):

- ``faults``: the fault catalogue (fault -> category, kind);
- ``edits``: format-agnostic edits (replace a span, delete a row, delete pages);
- ``spans``: locating an anchor text in a sequence of text pieces and rewriting it;
- ``text_editor``, ``ooxml_editor``, ``pdf_editor``, ``rerender``: per-format editors;
- ``numbers``, ``planner``: choosing what to mutate from our own extraction;
- ``labels``: the label schema; ``generate``: the ``mutate`` command;
- ``evaluate``: scoring findings on mutants; ``report``: mutants.md/json; ``loop``: the quality loop.
"""
