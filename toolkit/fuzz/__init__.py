"""Fuzzing and hostile inputs: damaged and hostile files through the whole ingest.

* :mod:`toolkit.fuzz.mutators` -- byte flips, truncation, zip member and XML edits, text edits;
* :mod:`toolkit.fuzz.corpus` -- the real files mutated, by format family;
* :mod:`toolkit.fuzz.runner` -- ``yibao-audit fuzz``: cases per family, counted from the manifest;
* :mod:`toolkit.fuzz.hostile` -- one file (or directory entry) per hostile case, and its table;
* :mod:`toolkit.fuzz.probe` -- ``ingest`` in a child process, reporting its workers' peak RSS.
"""
